package graph

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/graph/console"
	"github.com/hookd/hookd/graph/graphiql"
	"github.com/hookd/hookd/internal/auth"
	"github.com/hookd/hookd/internal/cache"
	"github.com/hookd/hookd/internal/coded"
	"github.com/hookd/hookd/internal/database"
	"github.com/hookd/hookd/internal/publish"
	"github.com/hookd/hookd/internal/pubsub"
	"github.com/hookd/hookd/internal/registry"
)

// Limits of the GraphQL endpoint.
const (
	// MaxPageSize is the largest first/last a connection accepts.
	MaxPageSize = 1000
	// KeepAliveInterval is how often websocket connections are pinged.
	KeepAliveInterval = 15 * time.Second
	// InitTimeout bounds the wait for a websocket's connection_init.
	InitTimeout = 10 * time.Second
	// CloseCodeUnauthenticated closes a websocket whose connection_init
	// carries no valid token (graphql-transport-ws's 4403 Forbidden).
	CloseCodeUnauthenticated = 4403
	// queryCacheSize is how many parsed queries are kept.
	queryCacheSize = 1000
)

// ServerConfig is what the HTTP handler needs.
type ServerConfig struct {
	// DB is the pool mutations open their transactions on.
	DB            *sql.DB
	Client        *ent.Client
	Authenticator *auth.Authenticator
	Registry      *registry.Registry
	Publisher     *publish.Publisher
	// Group publishes the single events of concurrent requests together
	// (nil: a Group of Publisher's, without direct attempts).
	Group *publish.Group
	// Broker feeds the subscriptions.
	Broker *pubsub.Broker
	// Changes drops cached rows after the mutations that change them
	// (nil: nothing is cached).
	Changes *cache.Changes
	// Sessions ends websockets whose token is revoked or expires (nil:
	// they stay open until the client closes them).
	Sessions *auth.Sessions
	Logger   *slog.Logger
	// RequestLimit is the largest request body accepted, in bytes (413 above).
	RequestLimit int64
	// QueryDepth and QueryComplexity limit each operation.
	QueryDepth      int
	QueryComplexity int
	// Ready reports whether the process can serve (for /readyz).
	Ready func(context.Context) error
	// Health, when set, watches the database: while it is down, /readyz
	// and API calls answer at once that it is unavailable, and the calls in
	// flight when it goes down are ended.
	Health *database.Health
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// NewHandler returns hookd's HTTP handler: the GraphQL API at /graphql
// (POST, GET and websockets), GraphiQL at / (and at /graphql for browsers),
// its assets under /graphiql/, the web console under /console/, and /healthz
// and /readyz.
func NewHandler(cfg ServerConfig) http.Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	api := newGraphQLServer(cfg)
	page := graphiql.Handler("/graphql")

	mux := http.NewServeMux()
	mux.Handle("/graphiql/", graphiql.Assets())
	consoleHandler := console.Handler()
	mux.Handle(console.Path, consoleHandler)
	mux.Handle(strings.TrimSuffix(console.Path, "/"), consoleHandler)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if cfg.Health.Down() {
			http.Error(w, "not ready: the database does not answer", http.StatusServiceUnavailable)
			return
		}
		if cfg.Ready != nil {
			// Within the 2 s the API answers in even when the database's
			// network swallows packets.
			ctx, cancel := context.WithTimeout(r.Context(), 1500*time.Millisecond)
			defer cancel()
			if err := cfg.Ready(ctx); err != nil {
				cfg.Logger.WarnContext(ctx, "not ready", "error", err)
				http.Error(w, "not ready: the database does not answer", http.StatusServiceUnavailable)
				return
			}
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	gql := unavailable(cfg.Health, authenticate(cfg, limitBody(cfg.RequestLimit, api)))
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wantsGraphiQL(r) {
			page.ServeHTTP(w, r)
			return
		}
		gql.ServeHTTP(w, r)
	}))
	mux.Handle("/{$}", page)
	return mux
}

func newGraphQLServer(cfg ServerConfig) *handler.Server {
	group := cfg.Group
	if group == nil {
		group = &publish.Group{DB: cfg.DB, Client: cfg.Client, Publisher: cfg.Publisher}
	}
	resolver := &Resolver{Client: cfg.Client, DB: cfg.DB, Registry: cfg.Registry, Publisher: cfg.Publisher,
		Group: group, Broker: cfg.Broker,
		Changes: cfg.Changes, Now: cfg.Now, live: newLive(cfg.Broker, cfg.Client, cfg.DB, cfg.Changes, cfg.Logger)}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: resolver}))
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: KeepAliveInterval,
		InitTimeout:           InitTimeout,
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			p := auth.FromContext(ctx) // authenticated by the upgrade request's header
			if p == nil {
				var err error
				if p, err = cfg.Authenticator.Authenticate(ctx, payload.Authorization()); err != nil {
					err = websocketAuthError(err)
					ctx = transport.AppendCloseReason(ctx, closeReason(err.Error()))
					ctx = transport.WithWebsocketCloseCode(ctx, CloseCodeUnauthenticated)
					return ctx, nil, err
				}
				ctx = auth.WithPrincipal(ctx, p)
			}
			if cfg.Sessions != nil {
				// The connection closes, saying why, once its token is
				// revoked or expires.
				ctx, _ = cfg.Sessions.Open(ctx, p)
				ctx = endedReason{transport.AppendCloseReason(ctx, endedReasonMark)}
			}
			return ctx, nil, nil
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(cfg.QueryComplexity))
	srv.Use(DepthLimit{Max: cfg.QueryDepth})
	srv.Use(Transactioner{DB: cfg.DB, Client: cfg.Client, Health: cfg.Health})
	srv.SetErrorPresenter(ErrorPresenter(cfg.Logger, cfg.Health))
	srv.SetRecoverFunc(RecoverFunc(cfg.Logger))
	srv.AroundRootFields(requireToken)
	srv.AroundResponses(dropNotice)
	srv.AroundFields(limitPageSize)
	srv.AroundFields(publishersSeeLittle)
	return srv
}

// requireToken refuses every root field but introspection to a request
// without a token, so GraphiQL can load the schema before a token is pasted.
func requireToken(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if auth.FromContext(ctx) == nil && fc != nil && !strings.HasPrefix(fc.Field.Name, "__") {
		graphql.AddError(ctx, auth.ErrMissingToken)
		return graphql.Null
	}
	return next(ctx)
}

// publisherTypes are the object types a token without the READ permission
// (a PUBLISH token) may see fields of: what publishEvent returns (the event
// and its deliveries' states) and viewer. Webhooks (but for their ID and
// name), attempts and the rest answer FORBIDDEN.
var publisherTypes = map[string]bool{
	"Query": true, "Mutation": true, "Subscription": true, "Viewer": true, "Workspace": true, "APIToken": true,
	"Event": true, "Delivery": true, "DeliveryConnection": true, "DeliveryEdge": true, "PageInfo": true,
}

// publisherFields are the fields of other types such tokens may see: which
// webhook a delivery goes to, by ID and name.
var publisherFields = map[string]bool{"Webhook.id": true, "Webhook.name": true}

// publishersSeeLittle keeps tokens that may not read out of everything but
// the objects publishing returns.
func publishersSeeLittle(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || publisherTypes[fc.Object] || strings.HasPrefix(fc.Object, "__") || publisherFields[fc.Object+"."+fc.Field.Name] {
		return next(ctx)
	}
	if p := auth.FromContext(ctx); p != nil && !p.Has(auth.Read) {
		return nil, coded.Errorf(coded.Forbidden, "a %s token may not read %s", p.Role, fc.Object)
	}
	return next(ctx)
}

// limitPageSize refuses connections asked for more than MaxPageSize items.
func limitPageSize(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc != nil && fc.Args != nil {
		for _, name := range []string{"first", "last"} {
			if n, ok := fc.Args[name].(*int); ok && n != nil && (*n < 0 || *n > MaxPageSize) {
				return nil, coded.Input(name, "%s must be between 0 and %d, got %d", name, MaxPageSize, *n)
			}
		}
	}
	return next(ctx)
}

// authenticate resolves the Authorization header, when there is one, to a
// principal. A header that does not authenticate is answered 401 at once;
// no header leaves the request anonymous (see requireToken), and websocket
// clients may authenticate in connection_init instead.
func authenticate(cfg ServerConfig, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		p, err := cfg.Authenticator.Authenticate(r.Context(), header)
		if err != nil {
			if coded.CodeOf(err) == coded.Unauthenticated {
				writeError(w, http.StatusUnauthorized, err)
				return
			}
			if cfg.Health.Unavailable(r.Context(), err) {
				writeUnavailable(w)
				return
			}
			cfg.Logger.ErrorContext(r.Context(), "authenticating request", "error", err)
			writeError(w, http.StatusServiceUnavailable, &coded.Error{Code: coded.Internal, Message: "authentication is unavailable, try again"})
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// unavailable answers API calls at once with UNAVAILABLE (and 503) while
// health finds the database down, and ends those in flight when it goes
// down. Websockets stay: their subscriptions resume with the database.
func unavailable(health *database.Health, next http.Handler) http.Handler {
	if health == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		if health.Down() {
			writeUnavailable(w)
			return
		}
		ctx, done := health.Track(r.Context())
		defer done()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// writeUnavailable answers that the database cannot be reached.
func writeUnavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	writeError(w, http.StatusServiceUnavailable, &coded.Error{Code: coded.Unavailable, Message: database.ErrUnavailable.Error()})
}

// limitBody answers 413 to request bodies over limit bytes.
func limitBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Method == http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, tooLarge(limit))
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			writeError(w, http.StatusBadRequest, coded.Errorf(coded.BadUserInput, "reading request body: %v", err))
			return
		}
		if int64(len(body)) > limit {
			writeError(w, http.StatusRequestEntityTooLarge, tooLarge(limit))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(limit int64) error {
	return coded.Errorf(coded.BadUserInput, "request body is larger than the server's limit of %d bytes (HOOKD_REQUEST_LIMIT)", limit)
}

// writeError answers with a GraphQL-shaped error body.
func writeError(w http.ResponseWriter, status int, err error) {
	code, message := coded.Internal, "internal error"
	if ce, ok := coded.As(err); ok {
		code, message = ce.Code, ce.Message
	}
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hookd"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]any{"code": code}}},
	})
}

// websocketAuthError is the reason a websocket is closed for a bad token.
func websocketAuthError(err error) error {
	if ce, ok := coded.As(err); ok && ce.Code == coded.Unauthenticated {
		return errors.New(string(coded.Unauthenticated) + ": " + ce.Message)
	}
	return errors.New("authentication is unavailable, try again")
}

// closeReason trims a websocket close reason to the 123 bytes a close frame
// can carry.
func closeReason(s string) string {
	if len(s) > 123 {
		return s[:120] + "..."
	}
	return s
}

// endedReasonMark stands, as a websocket's close reason, for the reason
// its session ended (see endedReason).
const endedReasonMark = "\x00session"

// endedReason is a websocket connection's context that gives, as its close
// reason, why its session ended: the token was revoked or expired (a
// context cause of auth.Sessions), or nothing when the connection merely
// closed.
type endedReason struct{ context.Context }

func (c endedReason) Value(key any) any {
	v := c.Context.Value(key)
	if s, ok := v.(string); ok && s == endedReasonMark {
		if err := context.Cause(c.Context); err != nil && auth.IsAuthError(err) {
			return closeReason(err.Error() + ": sign in again with a valid token")
		}
		return ""
	}
	return v
}

// wantsGraphiQL reports whether a request to /graphql is a browser asking
// for a page rather than a GraphQL client.
func wantsGraphiQL(r *http.Request) bool {
	return r.Method == http.MethodGet &&
		r.URL.Query().Get("query") == "" &&
		!strings.EqualFold(r.Header.Get("Upgrade"), "websocket") &&
		strings.Contains(r.Header.Get("Accept"), "text/html")
}
