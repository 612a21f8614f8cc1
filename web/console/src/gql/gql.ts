/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ConsoleViewer {\n    viewer {\n      admin\n      role\n      token { name expiresAt entityType entityId }\n      workspace { id name }\n    }\n  }\n": typeof types.ConsoleViewerDocument,
    "\n  query ConsoleWorkspaces($first: Int!) {\n    workspaces(first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges { node { id name } }\n    }\n  }\n": typeof types.ConsoleWorkspacesDocument,
    "\n  query ConsoleCurrentWorkspace($id: ID!) {\n    node(id: $id) { ... on Workspace { id name } }\n  }\n": typeof types.ConsoleCurrentWorkspaceDocument,
    "\n  query AttemptDetails($id: ID!) {\n    node(id: $id) {\n      ... on DeliveryAttempt {\n        id\n        number\n        trigger\n        startedAt\n        durationMs\n        success\n        requestUrl\n        requestMethod\n        requestHeaders { name value }\n        requestBody\n        responseStatus\n        responseHeaders { name value }\n        responseBody\n        error\n        errorKind\n        webhook { id name }\n        delivery { id status attemptCount event { id type } }\n      }\n    }\n  }\n": typeof types.AttemptDetailsDocument,
    "\n  mutation AttemptRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n": typeof types.AttemptRetryDocument,
    "\n  query EventsList($workspaceId: ID!, $first: Int, $after: Cursor, $where: EventWhereInput) {\n    events(workspaceId: $workspaceId, first: $first, after: $after, where: $where, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          type\n          entityType\n          entityId\n          idempotencyKey\n          occurredAt\n          deliveries { totalCount }\n        }\n      }\n    }\n  }\n": typeof types.EventsListDocument,
    "\n  query EventsTypeNames($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 500, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n": typeof types.EventsTypeNamesDocument,
    "\n  query EventDetails($id: ID!, $first: Int, $after: Cursor) {\n    node(id: $id) {\n      ... on Event {\n        id\n        type\n        payload\n        entityType\n        entityId\n        idempotencyKey\n        occurredAt\n        createdAt\n        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              nextAttemptAt\n              createdAt\n              completedAt\n              webhook { id name }\n              attempts { id number trigger startedAt durationMs success responseStatus errorKind }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.EventDetailsDocument,
    "\n  subscription EventAttempts($workspaceId: ID!, $eventId: ID!) {\n    deliveryAttempts(workspaceId: $workspaceId, eventId: $eventId) { id }\n  }\n": typeof types.EventAttemptsDocument,
    "\n  mutation EventRetryDelivery($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount nextAttemptAt }\n  }\n": typeof types.EventRetryDeliveryDocument,
    "\n  query EventTypesList($workspaceId: ID!, $first: Int, $after: Cursor, $includeArchived: Boolean) {\n    eventTypes(workspaceId: $workspaceId, first: $first, after: $after, includeArchived: $includeArchived, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          examplePayload\n          schema\n          archived\n          subscribedWebhooks\n          createdAt\n          updatedAt\n        }\n      }\n    }\n  }\n": typeof types.EventTypesListDocument,
    "\n  mutation EventTypesCreate($input: CreateEventTypeInput!) {\n    createEventType(input: $input) { id name }\n  }\n": typeof types.EventTypesCreateDocument,
    "\n  mutation EventTypesUpdate($id: ID!, $input: UpdateEventTypeInput!) {\n    updateEventType(id: $id, input: $input) { id name description examplePayload schema archived subscribedWebhooks updatedAt }\n  }\n": typeof types.EventTypesUpdateDocument,
    "\n  fragment FeedAttempt on DeliveryAttempt {\n    id\n    number\n    trigger\n    startedAt\n    durationMs\n    success\n    responseStatus\n    errorKind\n    error\n    webhook { id name }\n    delivery { id event { id type } }\n  }\n": typeof types.FeedAttemptFragmentDoc,
    "\n  query FeedRecent($workspaceId: ID!, $webhookId: ID, $first: Int) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId, first: $first) {\n      edges { node { ...FeedAttempt } }\n    }\n  }\n": typeof types.FeedRecentDocument,
    "\n  subscription FeedLive($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) { ...FeedAttempt }\n  }\n": typeof types.FeedLiveDocument,
    "\n  query FeedWebhooks($workspaceId: ID!) {\n    webhooks(workspaceId: $workspaceId, first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n": typeof types.FeedWebhooksDocument,
    "\n  query Overview($workspaceId: ID!, $since: Time!) {\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        exclusiveEventTypes\n        outcomes(since: $since, bucketSeconds: 60) { start successes failures }\n      }\n    }\n    all: webhooks(workspaceId: $workspaceId, first: 1) { totalCount }\n    enabled: webhooks(workspaceId: $workspaceId, first: 1, where: { enabled: true }) { totalCount }\n    failing: webhooks(workspaceId: $workspaceId, first: 5, failing: true) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          statistics { failuresSinceLastSuccess lastFailureAt lastSuccessAt }\n        }\n      }\n    }\n    eventTypes(workspaceId: $workspaceId, first: 1) { totalCount }\n  }\n": typeof types.OverviewDocument,
    "\n  query PublishEventTypes($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 1000, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges { node { id name description examplePayload } }\n    }\n  }\n": typeof types.PublishEventTypesDocument,
    "\n  mutation PublishEvent($input: PublishEventInput!) {\n    publishEvent(input: $input) {\n      id\n      type\n      entityType\n      entityId\n      idempotencyKey\n      occurredAt\n      deliveries(first: 100) {\n        totalCount\n        edges { node { id status attemptCount webhook { id name } } }\n      }\n    }\n  }\n": typeof types.PublishEventDocument,
    "\n  query TokensList($workspaceId: ID!, $first: Int, $after: Cursor) {\n    viewer { token { id } }\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        apiTokens(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              name\n              role\n              tokenPrefix\n              createdAt\n              lastUsedAt\n              expiresAt\n              revokedAt\n              entityType\n              entityId\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.TokensListDocument,
    "\n  mutation TokensCreate($input: CreateAPITokenInput!) {\n    createAPIToken(input: $input) {\n      token\n      apiToken { id name role tokenPrefix expiresAt entityType entityId }\n    }\n  }\n": typeof types.TokensCreateDocument,
    "\n  mutation TokensRevoke($id: ID!) {\n    revokeAPIToken(id: $id) { id revokedAt }\n  }\n": typeof types.TokensRevokeDocument,
    "\n  query WebhookDetails($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        createdAt\n        updatedAt\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n        disabledReason\n        disabledAt\n        filter\n        secret\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule maxAttempts }\n        workspace { id }\n      }\n    }\n  }\n": typeof types.WebhookDetailsDocument,
    "\n  mutation WebhookTrigger($id: ID!) {\n    triggerWebhook(id: $id) { id status event { id } }\n  }\n": typeof types.WebhookTriggerDocument,
    "\n  query WebhookTriggerOutcome($id: ID!) {\n    node(id: $id) {\n      ... on Delivery { id status attempts { id success responseStatus errorKind error durationMs } }\n    }\n  }\n": typeof types.WebhookTriggerOutcomeDocument,
    "\n  subscription WebhookAttempts($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {\n      id\n      success\n      responseStatus\n      errorKind\n      error\n      durationMs\n      startedAt\n      trigger\n      delivery { id }\n    }\n  }\n": typeof types.WebhookAttemptsDocument,
    "\n  mutation WebhookDetailsUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id enabled customData disabledReason }\n  }\n": typeof types.WebhookDetailsUpdateDocument,
    "\n  mutation WebhookDelete($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": typeof types.WebhookDeleteDocument,
    "\n  query WebhookStatisticsNow($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        statistics { ...StatisticsFields }\n      }\n    }\n  }\n": typeof types.WebhookStatisticsNowDocument,
    "\n  subscription WebhookStatisticsLive($id: ID!) {\n    webhookStatistics(webhookId: $id) { ...StatisticsFields }\n  }\n": typeof types.WebhookStatisticsLiveDocument,
    "\n  fragment StatisticsFields on WebhookStatistics {\n    events\n    triggers\n    successResponses\n    failureResponses\n    failuresSinceLastSuccess\n    filteredEvents\n    lastEventAt\n    nextTriggerAt\n    lastSuccessAt\n    lastFailureAt\n    lastSuccess { id responseStatus durationMs }\n    lastFailure { id responseStatus errorKind error }\n  }\n": typeof types.StatisticsFieldsFragmentDoc,
    "\n  query WebhookOutcomes($id: ID!, $since: Time!, $bucketSeconds: Int) {\n    node(id: $id) {\n      ... on Webhook { id outcomes(since: $since, bucketSeconds: $bucketSeconds) { start successes failures } }\n    }\n  }\n": typeof types.WebhookOutcomesDocument,
    "\n  mutation WebhookRotateSecret($id: ID!, $gracePeriodSeconds: Int) {\n    rotateWebhookSecret(id: $id, gracePeriodSeconds: $gracePeriodSeconds) { id secret }\n  }\n": typeof types.WebhookRotateSecretDocument,
    "\n  query WebhookDeliveries($id: ID!, $first: Int, $after: Cursor, $where: DeliveryWhereInput) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        deliveries(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              createdAt\n              nextAttemptAt\n              completedAt\n              event { id type entityType entityId }\n              attempts { id number success responseStatus errorKind startedAt trigger }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation WebhookDeliveryRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n": typeof types.WebhookDeliveryRetryDocument,
    "\n  mutation WebhookReplay($input: ReplayDeliveriesInput!) {\n    replayDeliveries(input: $input) { count created }\n  }\n": typeof types.WebhookReplayDocument,
    "\n  mutation WebhookTest($id: ID!, $eventType: String) {\n    testWebhook(id: $id, eventType: $eventType, wait: false) { id }\n  }\n": typeof types.WebhookTestDocument,
    "\n  subscription WebhookTestRun($id: ID!) {\n    testRunUpdated(id: $id) {\n      id\n      status\n      startedAt\n      finishedAt\n      testsRun\n      testsSucceeded\n      testsFailed\n      tests { eventType success responseStatus durationMs error attempt { id } }\n    }\n  }\n": typeof types.WebhookTestRunDocument,
    "\n  query WebhookFormData($workspaceId: ID!, $id: ID!, $editing: Boolean!) {\n    eventTypes(workspaceId: $workspaceId, first: 1000, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name description examplePayload archived } }\n    }\n    node(id: $id) @include(if: $editing) {\n      ... on Webhook {\n        id\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule }\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n        filter\n      }\n    }\n  }\n": typeof types.WebhookFormDataDocument,
    "\n  query WebhookFormTryFilter($expression: String!, $event: TestFilterEventInput!) {\n    testFilter(expression: $expression, event: $event) { matched error }\n  }\n": typeof types.WebhookFormTryFilterDocument,
    "\n  mutation WebhookCreate($input: CreateWebhookInput!) {\n    createWebhook(input: $input) { id }\n  }\n": typeof types.WebhookCreateDocument,
    "\n  mutation WebhookUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id }\n  }\n": typeof types.WebhookUpdateDocument,
    "\n  query WebhooksList($workspaceId: ID!, $first: Int, $after: Cursor, $where: WebhookWhereInput, $failing: Boolean) {\n    webhooks(workspaceId: $workspaceId, first: $first, after: $after, where: $where, failing: $failing, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          events\n          entityType\n          entityId\n          disabledReason\n          statistics { lastSuccessAt lastFailureAt failuresSinceLastSuccess }\n        }\n      }\n    }\n  }\n": typeof types.WebhooksListDocument,
    "\n  query WorkspacesList($first: Int, $after: Cursor, $where: WorkspaceWhereInput) {\n    workspaces(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }, where: $where) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { id name createdAt exclusiveEventTypes } }\n    }\n  }\n": typeof types.WorkspacesListDocument,
    "\n  mutation WorkspacesCreate($input: CreateWorkspaceInput!) {\n    createWorkspace(input: $input) { id name createdAt exclusiveEventTypes }\n  }\n": typeof types.WorkspacesCreateDocument,
};
const documents: Documents = {
    "\n  query ConsoleViewer {\n    viewer {\n      admin\n      role\n      token { name expiresAt entityType entityId }\n      workspace { id name }\n    }\n  }\n": types.ConsoleViewerDocument,
    "\n  query ConsoleWorkspaces($first: Int!) {\n    workspaces(first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges { node { id name } }\n    }\n  }\n": types.ConsoleWorkspacesDocument,
    "\n  query ConsoleCurrentWorkspace($id: ID!) {\n    node(id: $id) { ... on Workspace { id name } }\n  }\n": types.ConsoleCurrentWorkspaceDocument,
    "\n  query AttemptDetails($id: ID!) {\n    node(id: $id) {\n      ... on DeliveryAttempt {\n        id\n        number\n        trigger\n        startedAt\n        durationMs\n        success\n        requestUrl\n        requestMethod\n        requestHeaders { name value }\n        requestBody\n        responseStatus\n        responseHeaders { name value }\n        responseBody\n        error\n        errorKind\n        webhook { id name }\n        delivery { id status attemptCount event { id type } }\n      }\n    }\n  }\n": types.AttemptDetailsDocument,
    "\n  mutation AttemptRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n": types.AttemptRetryDocument,
    "\n  query EventsList($workspaceId: ID!, $first: Int, $after: Cursor, $where: EventWhereInput) {\n    events(workspaceId: $workspaceId, first: $first, after: $after, where: $where, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          type\n          entityType\n          entityId\n          idempotencyKey\n          occurredAt\n          deliveries { totalCount }\n        }\n      }\n    }\n  }\n": types.EventsListDocument,
    "\n  query EventsTypeNames($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 500, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n": types.EventsTypeNamesDocument,
    "\n  query EventDetails($id: ID!, $first: Int, $after: Cursor) {\n    node(id: $id) {\n      ... on Event {\n        id\n        type\n        payload\n        entityType\n        entityId\n        idempotencyKey\n        occurredAt\n        createdAt\n        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              nextAttemptAt\n              createdAt\n              completedAt\n              webhook { id name }\n              attempts { id number trigger startedAt durationMs success responseStatus errorKind }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.EventDetailsDocument,
    "\n  subscription EventAttempts($workspaceId: ID!, $eventId: ID!) {\n    deliveryAttempts(workspaceId: $workspaceId, eventId: $eventId) { id }\n  }\n": types.EventAttemptsDocument,
    "\n  mutation EventRetryDelivery($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount nextAttemptAt }\n  }\n": types.EventRetryDeliveryDocument,
    "\n  query EventTypesList($workspaceId: ID!, $first: Int, $after: Cursor, $includeArchived: Boolean) {\n    eventTypes(workspaceId: $workspaceId, first: $first, after: $after, includeArchived: $includeArchived, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          examplePayload\n          schema\n          archived\n          subscribedWebhooks\n          createdAt\n          updatedAt\n        }\n      }\n    }\n  }\n": types.EventTypesListDocument,
    "\n  mutation EventTypesCreate($input: CreateEventTypeInput!) {\n    createEventType(input: $input) { id name }\n  }\n": types.EventTypesCreateDocument,
    "\n  mutation EventTypesUpdate($id: ID!, $input: UpdateEventTypeInput!) {\n    updateEventType(id: $id, input: $input) { id name description examplePayload schema archived subscribedWebhooks updatedAt }\n  }\n": types.EventTypesUpdateDocument,
    "\n  fragment FeedAttempt on DeliveryAttempt {\n    id\n    number\n    trigger\n    startedAt\n    durationMs\n    success\n    responseStatus\n    errorKind\n    error\n    webhook { id name }\n    delivery { id event { id type } }\n  }\n": types.FeedAttemptFragmentDoc,
    "\n  query FeedRecent($workspaceId: ID!, $webhookId: ID, $first: Int) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId, first: $first) {\n      edges { node { ...FeedAttempt } }\n    }\n  }\n": types.FeedRecentDocument,
    "\n  subscription FeedLive($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) { ...FeedAttempt }\n  }\n": types.FeedLiveDocument,
    "\n  query FeedWebhooks($workspaceId: ID!) {\n    webhooks(workspaceId: $workspaceId, first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n": types.FeedWebhooksDocument,
    "\n  query Overview($workspaceId: ID!, $since: Time!) {\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        exclusiveEventTypes\n        outcomes(since: $since, bucketSeconds: 60) { start successes failures }\n      }\n    }\n    all: webhooks(workspaceId: $workspaceId, first: 1) { totalCount }\n    enabled: webhooks(workspaceId: $workspaceId, first: 1, where: { enabled: true }) { totalCount }\n    failing: webhooks(workspaceId: $workspaceId, first: 5, failing: true) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          statistics { failuresSinceLastSuccess lastFailureAt lastSuccessAt }\n        }\n      }\n    }\n    eventTypes(workspaceId: $workspaceId, first: 1) { totalCount }\n  }\n": types.OverviewDocument,
    "\n  query PublishEventTypes($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 1000, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges { node { id name description examplePayload } }\n    }\n  }\n": types.PublishEventTypesDocument,
    "\n  mutation PublishEvent($input: PublishEventInput!) {\n    publishEvent(input: $input) {\n      id\n      type\n      entityType\n      entityId\n      idempotencyKey\n      occurredAt\n      deliveries(first: 100) {\n        totalCount\n        edges { node { id status attemptCount webhook { id name } } }\n      }\n    }\n  }\n": types.PublishEventDocument,
    "\n  query TokensList($workspaceId: ID!, $first: Int, $after: Cursor) {\n    viewer { token { id } }\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        apiTokens(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              name\n              role\n              tokenPrefix\n              createdAt\n              lastUsedAt\n              expiresAt\n              revokedAt\n              entityType\n              entityId\n            }\n          }\n        }\n      }\n    }\n  }\n": types.TokensListDocument,
    "\n  mutation TokensCreate($input: CreateAPITokenInput!) {\n    createAPIToken(input: $input) {\n      token\n      apiToken { id name role tokenPrefix expiresAt entityType entityId }\n    }\n  }\n": types.TokensCreateDocument,
    "\n  mutation TokensRevoke($id: ID!) {\n    revokeAPIToken(id: $id) { id revokedAt }\n  }\n": types.TokensRevokeDocument,
    "\n  query WebhookDetails($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        createdAt\n        updatedAt\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n        disabledReason\n        disabledAt\n        filter\n        secret\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule maxAttempts }\n        workspace { id }\n      }\n    }\n  }\n": types.WebhookDetailsDocument,
    "\n  mutation WebhookTrigger($id: ID!) {\n    triggerWebhook(id: $id) { id status event { id } }\n  }\n": types.WebhookTriggerDocument,
    "\n  query WebhookTriggerOutcome($id: ID!) {\n    node(id: $id) {\n      ... on Delivery { id status attempts { id success responseStatus errorKind error durationMs } }\n    }\n  }\n": types.WebhookTriggerOutcomeDocument,
    "\n  subscription WebhookAttempts($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {\n      id\n      success\n      responseStatus\n      errorKind\n      error\n      durationMs\n      startedAt\n      trigger\n      delivery { id }\n    }\n  }\n": types.WebhookAttemptsDocument,
    "\n  mutation WebhookDetailsUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id enabled customData disabledReason }\n  }\n": types.WebhookDetailsUpdateDocument,
    "\n  mutation WebhookDelete($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": types.WebhookDeleteDocument,
    "\n  query WebhookStatisticsNow($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        statistics { ...StatisticsFields }\n      }\n    }\n  }\n": types.WebhookStatisticsNowDocument,
    "\n  subscription WebhookStatisticsLive($id: ID!) {\n    webhookStatistics(webhookId: $id) { ...StatisticsFields }\n  }\n": types.WebhookStatisticsLiveDocument,
    "\n  fragment StatisticsFields on WebhookStatistics {\n    events\n    triggers\n    successResponses\n    failureResponses\n    failuresSinceLastSuccess\n    filteredEvents\n    lastEventAt\n    nextTriggerAt\n    lastSuccessAt\n    lastFailureAt\n    lastSuccess { id responseStatus durationMs }\n    lastFailure { id responseStatus errorKind error }\n  }\n": types.StatisticsFieldsFragmentDoc,
    "\n  query WebhookOutcomes($id: ID!, $since: Time!, $bucketSeconds: Int) {\n    node(id: $id) {\n      ... on Webhook { id outcomes(since: $since, bucketSeconds: $bucketSeconds) { start successes failures } }\n    }\n  }\n": types.WebhookOutcomesDocument,
    "\n  mutation WebhookRotateSecret($id: ID!, $gracePeriodSeconds: Int) {\n    rotateWebhookSecret(id: $id, gracePeriodSeconds: $gracePeriodSeconds) { id secret }\n  }\n": types.WebhookRotateSecretDocument,
    "\n  query WebhookDeliveries($id: ID!, $first: Int, $after: Cursor, $where: DeliveryWhereInput) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        deliveries(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              createdAt\n              nextAttemptAt\n              completedAt\n              event { id type entityType entityId }\n              attempts { id number success responseStatus errorKind startedAt trigger }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation WebhookDeliveryRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n": types.WebhookDeliveryRetryDocument,
    "\n  mutation WebhookReplay($input: ReplayDeliveriesInput!) {\n    replayDeliveries(input: $input) { count created }\n  }\n": types.WebhookReplayDocument,
    "\n  mutation WebhookTest($id: ID!, $eventType: String) {\n    testWebhook(id: $id, eventType: $eventType, wait: false) { id }\n  }\n": types.WebhookTestDocument,
    "\n  subscription WebhookTestRun($id: ID!) {\n    testRunUpdated(id: $id) {\n      id\n      status\n      startedAt\n      finishedAt\n      testsRun\n      testsSucceeded\n      testsFailed\n      tests { eventType success responseStatus durationMs error attempt { id } }\n    }\n  }\n": types.WebhookTestRunDocument,
    "\n  query WebhookFormData($workspaceId: ID!, $id: ID!, $editing: Boolean!) {\n    eventTypes(workspaceId: $workspaceId, first: 1000, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name description examplePayload archived } }\n    }\n    node(id: $id) @include(if: $editing) {\n      ... on Webhook {\n        id\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule }\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n        filter\n      }\n    }\n  }\n": types.WebhookFormDataDocument,
    "\n  query WebhookFormTryFilter($expression: String!, $event: TestFilterEventInput!) {\n    testFilter(expression: $expression, event: $event) { matched error }\n  }\n": types.WebhookFormTryFilterDocument,
    "\n  mutation WebhookCreate($input: CreateWebhookInput!) {\n    createWebhook(input: $input) { id }\n  }\n": types.WebhookCreateDocument,
    "\n  mutation WebhookUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id }\n  }\n": types.WebhookUpdateDocument,
    "\n  query WebhooksList($workspaceId: ID!, $first: Int, $after: Cursor, $where: WebhookWhereInput, $failing: Boolean) {\n    webhooks(workspaceId: $workspaceId, first: $first, after: $after, where: $where, failing: $failing, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          events\n          entityType\n          entityId\n          disabledReason\n          statistics { lastSuccessAt lastFailureAt failuresSinceLastSuccess }\n        }\n      }\n    }\n  }\n": types.WebhooksListDocument,
    "\n  query WorkspacesList($first: Int, $after: Cursor, $where: WorkspaceWhereInput) {\n    workspaces(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }, where: $where) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { id name createdAt exclusiveEventTypes } }\n    }\n  }\n": types.WorkspacesListDocument,
    "\n  mutation WorkspacesCreate($input: CreateWorkspaceInput!) {\n    createWorkspace(input: $input) { id name createdAt exclusiveEventTypes }\n  }\n": types.WorkspacesCreateDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleViewer {\n    viewer {\n      admin\n      role\n      token { name expiresAt entityType entityId }\n      workspace { id name }\n    }\n  }\n"): typeof import('./graphql').ConsoleViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleWorkspaces($first: Int!) {\n    workspaces(first: $first, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges { node { id name } }\n    }\n  }\n"): typeof import('./graphql').ConsoleWorkspacesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleCurrentWorkspace($id: ID!) {\n    node(id: $id) { ... on Workspace { id name } }\n  }\n"): typeof import('./graphql').ConsoleCurrentWorkspaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AttemptDetails($id: ID!) {\n    node(id: $id) {\n      ... on DeliveryAttempt {\n        id\n        number\n        trigger\n        startedAt\n        durationMs\n        success\n        requestUrl\n        requestMethod\n        requestHeaders { name value }\n        requestBody\n        responseStatus\n        responseHeaders { name value }\n        responseBody\n        error\n        errorKind\n        webhook { id name }\n        delivery { id status attemptCount event { id type } }\n      }\n    }\n  }\n"): typeof import('./graphql').AttemptDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AttemptRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n"): typeof import('./graphql').AttemptRetryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventsList($workspaceId: ID!, $first: Int, $after: Cursor, $where: EventWhereInput) {\n    events(workspaceId: $workspaceId, first: $first, after: $after, where: $where, orderBy: { field: OCCURRED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          type\n          entityType\n          entityId\n          idempotencyKey\n          occurredAt\n          deliveries { totalCount }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').EventsListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventsTypeNames($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 500, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n"): typeof import('./graphql').EventsTypeNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventDetails($id: ID!, $first: Int, $after: Cursor) {\n    node(id: $id) {\n      ... on Event {\n        id\n        type\n        payload\n        entityType\n        entityId\n        idempotencyKey\n        occurredAt\n        createdAt\n        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              nextAttemptAt\n              createdAt\n              completedAt\n              webhook { id name }\n              attempts { id number trigger startedAt durationMs success responseStatus errorKind }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').EventDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription EventAttempts($workspaceId: ID!, $eventId: ID!) {\n    deliveryAttempts(workspaceId: $workspaceId, eventId: $eventId) { id }\n  }\n"): typeof import('./graphql').EventAttemptsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EventRetryDelivery($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount nextAttemptAt }\n  }\n"): typeof import('./graphql').EventRetryDeliveryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventTypesList($workspaceId: ID!, $first: Int, $after: Cursor, $includeArchived: Boolean) {\n    eventTypes(workspaceId: $workspaceId, first: $first, after: $after, includeArchived: $includeArchived, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          description\n          examplePayload\n          schema\n          archived\n          subscribedWebhooks\n          createdAt\n          updatedAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').EventTypesListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EventTypesCreate($input: CreateEventTypeInput!) {\n    createEventType(input: $input) { id name }\n  }\n"): typeof import('./graphql').EventTypesCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EventTypesUpdate($id: ID!, $input: UpdateEventTypeInput!) {\n    updateEventType(id: $id, input: $input) { id name description examplePayload schema archived subscribedWebhooks updatedAt }\n  }\n"): typeof import('./graphql').EventTypesUpdateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FeedAttempt on DeliveryAttempt {\n    id\n    number\n    trigger\n    startedAt\n    durationMs\n    success\n    responseStatus\n    errorKind\n    error\n    webhook { id name }\n    delivery { id event { id type } }\n  }\n"): typeof import('./graphql').FeedAttemptFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeedRecent($workspaceId: ID!, $webhookId: ID, $first: Int) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId, first: $first) {\n      edges { node { ...FeedAttempt } }\n    }\n  }\n"): typeof import('./graphql').FeedRecentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FeedLive($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) { ...FeedAttempt }\n  }\n"): typeof import('./graphql').FeedLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FeedWebhooks($workspaceId: ID!) {\n    webhooks(workspaceId: $workspaceId, first: 200, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name } }\n    }\n  }\n"): typeof import('./graphql').FeedWebhooksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview($workspaceId: ID!, $since: Time!) {\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        exclusiveEventTypes\n        outcomes(since: $since, bucketSeconds: 60) { start successes failures }\n      }\n    }\n    all: webhooks(workspaceId: $workspaceId, first: 1) { totalCount }\n    enabled: webhooks(workspaceId: $workspaceId, first: 1, where: { enabled: true }) { totalCount }\n    failing: webhooks(workspaceId: $workspaceId, first: 5, failing: true) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          statistics { failuresSinceLastSuccess lastFailureAt lastSuccessAt }\n        }\n      }\n    }\n    eventTypes(workspaceId: $workspaceId, first: 1) { totalCount }\n  }\n"): typeof import('./graphql').OverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PublishEventTypes($workspaceId: ID!) {\n    eventTypes(workspaceId: $workspaceId, first: 1000, orderBy: { field: NAME, direction: ASC }) {\n      totalCount\n      edges { node { id name description examplePayload } }\n    }\n  }\n"): typeof import('./graphql').PublishEventTypesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PublishEvent($input: PublishEventInput!) {\n    publishEvent(input: $input) {\n      id\n      type\n      entityType\n      entityId\n      idempotencyKey\n      occurredAt\n      deliveries(first: 100) {\n        totalCount\n        edges { node { id status attemptCount webhook { id name } } }\n      }\n    }\n  }\n"): typeof import('./graphql').PublishEventDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TokensList($workspaceId: ID!, $first: Int, $after: Cursor) {\n    viewer { token { id } }\n    node(id: $workspaceId) {\n      ... on Workspace {\n        id\n        name\n        apiTokens(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              name\n              role\n              tokenPrefix\n              createdAt\n              lastUsedAt\n              expiresAt\n              revokedAt\n              entityType\n              entityId\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TokensListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TokensCreate($input: CreateAPITokenInput!) {\n    createAPIToken(input: $input) {\n      token\n      apiToken { id name role tokenPrefix expiresAt entityType entityId }\n    }\n  }\n"): typeof import('./graphql').TokensCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TokensRevoke($id: ID!) {\n    revokeAPIToken(id: $id) { id revokedAt }\n  }\n"): typeof import('./graphql').TokensRevokeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDetails($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        createdAt\n        updatedAt\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n        disabledReason\n        disabledAt\n        filter\n        secret\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule maxAttempts }\n        workspace { id }\n      }\n    }\n  }\n"): typeof import('./graphql').WebhookDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookTrigger($id: ID!) {\n    triggerWebhook(id: $id) { id status event { id } }\n  }\n"): typeof import('./graphql').WebhookTriggerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookTriggerOutcome($id: ID!) {\n    node(id: $id) {\n      ... on Delivery { id status attempts { id success responseStatus errorKind error durationMs } }\n    }\n  }\n"): typeof import('./graphql').WebhookTriggerOutcomeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebhookAttempts($workspaceId: ID!, $webhookId: ID) {\n    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {\n      id\n      success\n      responseStatus\n      errorKind\n      error\n      durationMs\n      startedAt\n      trigger\n      delivery { id }\n    }\n  }\n"): typeof import('./graphql').WebhookAttemptsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookDetailsUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id enabled customData disabledReason }\n  }\n"): typeof import('./graphql').WebhookDetailsUpdateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookDelete($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"): typeof import('./graphql').WebhookDeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookStatisticsNow($id: ID!) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        statistics { ...StatisticsFields }\n      }\n    }\n  }\n"): typeof import('./graphql').WebhookStatisticsNowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebhookStatisticsLive($id: ID!) {\n    webhookStatistics(webhookId: $id) { ...StatisticsFields }\n  }\n"): typeof import('./graphql').WebhookStatisticsLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StatisticsFields on WebhookStatistics {\n    events\n    triggers\n    successResponses\n    failureResponses\n    failuresSinceLastSuccess\n    filteredEvents\n    lastEventAt\n    nextTriggerAt\n    lastSuccessAt\n    lastFailureAt\n    lastSuccess { id responseStatus durationMs }\n    lastFailure { id responseStatus errorKind error }\n  }\n"): typeof import('./graphql').StatisticsFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookOutcomes($id: ID!, $since: Time!, $bucketSeconds: Int) {\n    node(id: $id) {\n      ... on Webhook { id outcomes(since: $since, bucketSeconds: $bucketSeconds) { start successes failures } }\n    }\n  }\n"): typeof import('./graphql').WebhookOutcomesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookRotateSecret($id: ID!, $gracePeriodSeconds: Int) {\n    rotateWebhookSecret(id: $id, gracePeriodSeconds: $gracePeriodSeconds) { id secret }\n  }\n"): typeof import('./graphql').WebhookRotateSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($id: ID!, $first: Int, $after: Cursor, $where: DeliveryWhereInput) {\n    node(id: $id) {\n      ... on Webhook {\n        id\n        deliveries(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {\n          totalCount\n          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n          edges {\n            node {\n              id\n              status\n              attemptCount\n              createdAt\n              nextAttemptAt\n              completedAt\n              event { id type entityType entityId }\n              attempts { id number success responseStatus errorKind startedAt trigger }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WebhookDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookDeliveryRetry($id: ID!) {\n    retryDelivery(id: $id) { id status attemptCount }\n  }\n"): typeof import('./graphql').WebhookDeliveryRetryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookReplay($input: ReplayDeliveriesInput!) {\n    replayDeliveries(input: $input) { count created }\n  }\n"): typeof import('./graphql').WebhookReplayDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookTest($id: ID!, $eventType: String) {\n    testWebhook(id: $id, eventType: $eventType, wait: false) { id }\n  }\n"): typeof import('./graphql').WebhookTestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebhookTestRun($id: ID!) {\n    testRunUpdated(id: $id) {\n      id\n      status\n      startedAt\n      finishedAt\n      testsRun\n      testsSucceeded\n      testsFailed\n      tests { eventType success responseStatus durationMs error attempt { id } }\n    }\n  }\n"): typeof import('./graphql').WebhookTestRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookFormData($workspaceId: ID!, $id: ID!, $editing: Boolean!) {\n    eventTypes(workspaceId: $workspaceId, first: 1000, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {\n      edges { node { id name description examplePayload archived } }\n    }\n    node(id: $id) @include(if: $editing) {\n      ... on Webhook {\n        id\n        name\n        description\n        url\n        method\n        enabled\n        events\n        entityType\n        entityId\n        headers { name value }\n        authentication { type username jwtSecret ttlSeconds }\n        customData\n        retryPolicy { schedule }\n        timeoutSeconds\n        disableAfterConsecutiveFailures\n        rateLimitPerSecond\n        filter\n      }\n    }\n  }\n"): typeof import('./graphql').WebhookFormDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookFormTryFilter($expression: String!, $event: TestFilterEventInput!) {\n    testFilter(expression: $expression, event: $event) { matched error }\n  }\n"): typeof import('./graphql').WebhookFormTryFilterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookCreate($input: CreateWebhookInput!) {\n    createWebhook(input: $input) { id }\n  }\n"): typeof import('./graphql').WebhookCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebhookUpdate($id: ID!, $input: UpdateWebhookInput!) {\n    updateWebhook(id: $id, input: $input) { id }\n  }\n"): typeof import('./graphql').WebhookUpdateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhooksList($workspaceId: ID!, $first: Int, $after: Cursor, $where: WebhookWhereInput, $failing: Boolean) {\n    webhooks(workspaceId: $workspaceId, first: $first, after: $after, where: $where, failing: $failing, orderBy: { field: CREATED_AT, direction: DESC }) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges {\n        node {\n          id\n          name\n          url\n          enabled\n          events\n          entityType\n          entityId\n          disabledReason\n          statistics { lastSuccessAt lastFailureAt failuresSinceLastSuccess }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').WebhooksListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspacesList($first: Int, $after: Cursor, $where: WorkspaceWhereInput) {\n    workspaces(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }, where: $where) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { id name createdAt exclusiveEventTypes } }\n    }\n  }\n"): typeof import('./graphql').WorkspacesListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkspacesCreate($input: CreateWorkspaceInput!) {\n    createWorkspace(input: $input) { id name createdAt exclusiveEventTypes }\n  }\n"): typeof import('./graphql').WorkspacesCreateDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
