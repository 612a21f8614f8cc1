// Package hookd is a self-hosted webhook delivery server. The program lives
// in cmd/hookd; this file only drives code generation: `make generate` runs
// entc (ent client and ent.graphql) and then gqlgen (the GraphQL server).
package hookd

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen generate --config gqlgen.yml
