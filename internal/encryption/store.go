package encryption

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hookd/hookd/ent/schema/schematype"
)

// stored is one webhook row's credentials as stored.
type stored struct {
	id                      string
	secret                  string
	previous, password, jwt sql.NullString
	headers                 []byte
}

// each calls fn with every webhook's stored credentials, a hundred rows at
// a time, in ID order.
func each(ctx context.Context, db *sql.DB, fn func(s *stored) error) error {
	after := ""
	for {
		rows, err := db.QueryContext(ctx, `SELECT id, secret, previous_secret, basic_password, jwt_secret, coalesce(headers, '[]'::jsonb)
FROM webhooks WHERE id > $1 ORDER BY id LIMIT 100`, after)
		if err != nil {
			return fmt.Errorf("reading webhooks' credentials: %w", err)
		}
		var batch []*stored
		for rows.Next() {
			s := &stored{}
			if err := rows.Scan(&s.id, &s.secret, &s.previous, &s.password, &s.jwt, &s.headers); err != nil {
				rows.Close()
				return fmt.Errorf("reading webhooks' credentials: %w", err)
			}
			batch = append(batch, s)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("reading webhooks' credentials: %w", err)
		}
		rows.Close()
		for _, s := range batch {
			if err := fn(s); err != nil {
				return err
			}
		}
		if len(batch) < 100 {
			return nil
		}
		after = batch[len(batch)-1].id
	}
}

// values calls fn with each of the row's stored credentials, the column it
// is bound to, and a place to put its new value.
func (s *stored) values(fn func(column string, value *string) error) error {
	if err := fn(ColSecret, &s.secret); err != nil {
		return err
	}
	for _, f := range []struct {
		column string
		v      *sql.NullString
	}{{ColPrevious, &s.previous}, {ColPassword, &s.password}, {ColJWTSecret, &s.jwt}} {
		if f.v.Valid {
			if err := fn(f.column, &f.v.String); err != nil {
				return err
			}
		}
	}
	var headers []schematype.Header
	if err := json.Unmarshal(s.headers, &headers); err != nil {
		return fmt.Errorf("webhook %s's headers: %w", s.id, err)
	}
	for i := range headers {
		if err := fn(HeaderColumn(headers[i].Name), &headers[i].Value); err != nil {
			return err
		}
	}
	b, err := json.Marshal(headers)
	if err != nil {
		return err
	}
	s.headers = b
	return nil
}

// Resealed counts what Reseal did.
type Resealed struct {
	// Webhooks is how many webhooks were rewritten.
	Webhooks int
	// Encrypted is how many values stored in plaintext were sealed;
	// Rotated how many sealed under another key were sealed again under
	// the first.
	Encrypted, Rotated int
}

// Reseal seals every webhook credential not yet sealed under keys' first
// key: those stored in plaintext (before encryption; only when plain) and,
// when rotate, those sealed under another key of the list. Each row is
// rewritten only if it is unchanged since it was read (a server may update
// it meanwhile: it is read again), so it is safe while servers run with the
// same key list.
func Reseal(ctx context.Context, db *sql.DB, keys *Keys, rotate bool) (Resealed, error) {
	var done Resealed
	err := each(ctx, db, func(s *stored) error {
		for tries := 0; ; tries++ {
			before := *s
			var n Resealed
			err := s.values(func(column string, v *string) error {
				switch {
				case !Sealed(*v):
					n.Encrypted++
					*v = keys.Seal(Table, s.id, column, *v)
				case rotate && !keys.Current(*v):
					plain, err := OpenColumn(keys, s.id, column, *v)
					if err != nil {
						return err
					}
					n.Rotated++
					*v = keys.Seal(Table, s.id, column, plain)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if n.Encrypted+n.Rotated == 0 {
				return nil
			}
			res, err := db.ExecContext(ctx, `UPDATE webhooks SET secret = $2, previous_secret = $3, basic_password = $4, jwt_secret = $5, headers = $6
WHERE id = $1 AND secret = $7 AND previous_secret IS NOT DISTINCT FROM $8 AND basic_password IS NOT DISTINCT FROM $9
  AND jwt_secret IS NOT DISTINCT FROM $10 AND coalesce(headers, '[]'::jsonb) = $11::jsonb`,
				s.id, s.secret, s.previous, s.password, s.jwt, s.headers,
				before.secret, before.previous, before.password, before.jwt, before.headers)
			if err != nil {
				return fmt.Errorf("rewriting webhook %s's credentials: %w", s.id, err)
			}
			if changed, _ := res.RowsAffected(); changed == 1 {
				done.Webhooks++
				done.Encrypted += n.Encrypted
				done.Rotated += n.Rotated
				return nil
			}
			if tries == 10 {
				return fmt.Errorf("webhook %s changed ten times while its credentials were rewritten: run the command again", s.id)
			}
			// Changed meanwhile (or deleted): read it again.
			err = db.QueryRowContext(ctx, `SELECT secret, previous_secret, basic_password, jwt_secret, coalesce(headers, '[]'::jsonb) FROM webhooks WHERE id = $1`, s.id).
				Scan(&s.secret, &s.previous, &s.password, &s.jwt, &s.headers)
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("reading webhook %s's credentials: %w", s.id, err)
			}
		}
	})
	return done, err
}

// Check makes sure a server with keys can read the stored credentials: it
// fails when some are stored in plaintext (hookd migrate seals them), or
// when there are sealed ones and keys opens none of them (the wrong key).
// Its errors say which setting to fix and how.
func Check(ctx context.Context, db *sql.DB, keys *Keys) error {
	var plain, sealed, opened int
	unknown := map[string]bool{}
	err := each(ctx, db, func(s *stored) error {
		return s.values(func(column string, v *string) error {
			if !Sealed(*v) {
				plain++
				return nil
			}
			sealed++
			if _, err := keys.Open(Table, s.id, column, *v); err == nil {
				opened++
			} else if errors.Is(err, ErrUnknownKey) {
				id, _, _ := split(*v)
				unknown[id] = true
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if plain > 0 {
		return fmt.Errorf("%d webhook credentials are stored unencrypted: run `hookd migrate` with HOOKD_ENCRYPTION_KEY set to encrypt them", plain)
	}
	if sealed > 0 && opened == 0 {
		ids := make([]string, 0, len(unknown))
		for id := range unknown {
			ids = append(ids, id)
		}
		return fmt.Errorf("HOOKD_ENCRYPTION_KEY opens none of the %d stored webhook credentials: it is not the key they were encrypted with "+
			"(they name key %s; the setting holds %s). Set HOOKD_ENCRYPTION_KEY to that key, or list it after the new one while rotating",
			sealed, strings.Join(ids, ", "), strings.Join(keys.IDs(), ", "))
	}
	return nil
}
