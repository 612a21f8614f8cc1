//go:build ignore

// sum rewrites internal/migration/sql/atlas.sum after a migration was written
// by hand (one that ent/schema cannot express, such as triggers).
package main

import (
	"log"

	atlas "ariga.io/atlas/sql/migrate"
)

func main() {
	dir, err := atlas.NewLocalDir("internal/migration/sql")
	if err != nil {
		log.Fatal(err)
	}
	sum, err := dir.Checksum()
	if err != nil {
		log.Fatal(err)
	}
	if err := atlas.WriteSumFile(dir, sum); err != nil {
		log.Fatal(err)
	}
}
