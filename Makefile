# hookd — the two commands are `make run` and `make test`.
GO       ?= go
GOFLAGS  ?=
TESTFLAGS ?= -race -count=1 -timeout 20m

.PHONY: run test fuzz generate vet build bench graphiql console bundles check-bundles screenshots migration migration-sum check-generated

## run: find or start PostgreSQL, migrate, seed a workspace, print links to the console and GraphiQL (signed in) and tokens, and serve at http://localhost:8080/
run:
	$(GO) run ./cmd/hookd dev

## test: the whole suite against real PostgreSQL (TEST_DATABASE_URL, 127.0.0.1:5432, or a private cluster under .data/), browser tests in headless Chromium (installed first when missing and run as root)
test:
	./scripts/chromium.sh
	$(GO) test $(TESTFLAGS) ./...

## build: the hookd binary in bin/
build:
	$(GO) build -o bin/hookd ./cmd/hookd

## bench: run the standard load scenarios on a private PostgreSQL cluster (.data/bench-postgres), with CPU and statements per delivery and River's no-op ceiling, and write BENCHMARKS.md (SCENARIOS="throughput latency …", SOAK=10m, HOOKD_WORKERS=100)
bench:
	GO="$(GO)" ./scripts/bench.sh

## fuzz: every fuzz target for FUZZTIME each (default 60s): URL policy, webhook settings, secrets, receivers' responses, verify, payloads, payload filters
fuzz:
	GO="$(GO)" ./scripts/fuzz.sh

## generate: ent client, ent.graphql and the gqlgen server from ent/schema and schema.graphql (Go only: the bundles are rebuilt by make bundles)
generate:
	$(GO) generate .
	gofmt -w ent graph

## vet: go vet
vet:
	$(GO) vet ./...

## check-generated: fail when `make generate` changes the tree
check-generated: generate
	@git diff --exit-code -- ent graph ent.graphql || (echo "generated code is stale: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- ent graph)" || (git status --porcelain -- ent graph; echo "make generate created files: commit them" >&2; exit 1)

## graphiql: rebuild the embedded GraphiQL bundle (graph/graphiql/dist) from web/graphiql with npm
graphiql:
	./scripts/node.sh
	cd web/graphiql && npm ci && npm run build

## console: rebuild the embedded web console (graph/console/dist) and its typed GraphQL operations (web/console/src/gql) from web/console with npm
console:
	./scripts/node.sh
	cd web/console && npm ci && npm run build

## bundles: rebuild both embedded bundles, GraphiQL and the console, from their sources and lock files
bundles: graphiql console

# What make bundles writes, committed beside the sources it is built from.
BUNDLES = graph/graphiql/dist graph/console/dist web/console/src/gql

## check-bundles: fail when rebuilding the bundles from their lock files changes what is committed (graph/graphiql/dist, graph/console/dist, web/console/src/gql)
check-bundles: bundles
	@test -z "$$(git status --porcelain --untracked-files=all -- $(BUNDLES))" || (git status --porcelain --untracked-files=all -- $(BUNDLES); echo "the bundles do not match their sources: run 'make bundles' and commit the result" >&2; exit 1)

## screenshots: run the console's browser tests and keep their screenshots in docs/console/
screenshots:
	./scripts/chromium.sh
	HOOKD_SCREENSHOTS=$(CURDIR)/docs/console $(GO) test -count=1 ./graph/console/

## migration name=NAME: write the versioned migration from ent/schema's changes into internal/migration/sql
migration:
	@test -n "$(name)" || (echo "usage: make migration name=NAME" >&2; exit 1)
	$(GO) run ./internal/migration/gen/main.go $(name)

## migration-sum: rewrite internal/migration/sql/atlas.sum after writing a migration by hand (triggers and functions ent/schema cannot express)
migration-sum:
	$(GO) run ./internal/migration/sum/main.go
