package encryption

import (
	"context"
	"errors"
	"fmt"

	"github.com/hookd/hookd/ent"
	"github.com/hookd/hookd/ent/hook"
	"github.com/hookd/hookd/ent/schema/schematype"
)

// Where webhooks' credentials are stored: the table and the columns sealed.
const (
	Table          = "webhooks"
	ColSecret      = "secret"
	ColPrevious    = "previous_secret"
	ColPassword    = "basic_password"
	ColJWTSecret   = "jwt_secret"
	ColHeaders     = "headers"
	headerColumnOf = "headers/" // a custom header's value binds to headers/<its name>
)

// ErrNoKeys is returned when a client without keys writes a credential.
var ErrNoKeys = errors.New("no encryption key is configured: set HOOKD_ENCRYPTION_KEY (" + MakeKey + ")")

// HeaderColumn is what a custom header's value is bound to: the headers
// column and the header's name, so that a value moved to another header
// does not open.
func HeaderColumn(name string) string { return headerColumnOf + name }

// Install makes client seal the credentials of the webhooks it writes and
// open those of the webhooks it reads. With nil keys, writing a credential
// fails and reading one leaves it sealed.
func Install(client *ent.Client, keys *Keys) {
	client.Webhook.Use(sealHook(keys))
	client.Webhook.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if err != nil || keys == nil {
				return v, err
			}
			if hooks, ok := v.([]*ent.Webhook); ok {
				for _, wh := range hooks {
					if err := OpenWebhook(keys, wh); err != nil {
						return nil, err
					}
				}
			}
			return v, nil
		})
	}))
}

// sealHook seals every credential a webhook mutation sets, and opens them
// again in the webhook it returns.
func sealHook(keys *Keys) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return hook.WebhookFunc(func(ctx context.Context, m *ent.WebhookMutation) (ent.Value, error) {
			if err := sealMutation(keys, m); err != nil {
				return nil, err
			}
			v, err := next.Mutate(ctx, m)
			if err != nil || keys == nil {
				return v, err
			}
			if wh, ok := v.(*ent.Webhook); ok {
				if err := OpenWebhook(keys, wh); err != nil {
					return nil, err
				}
			}
			return v, nil
		})
	}
}

func sealMutation(keys *Keys, m *ent.WebhookMutation) error {
	secret, setSecret := m.Secret()
	previous, setPrevious := m.PreviousSecret()
	password, setPassword := m.BasicPassword()
	jwtSecret, setJWT := m.JwtSecret()
	headers, setHeaders := m.Headers()
	appended, appendHeaders := m.AppendedHeaders()
	if !setSecret && !setPrevious && !setPassword && !setJWT && !setHeaders && !appendHeaders {
		return nil
	}
	if keys == nil {
		return ErrNoKeys
	}
	if appendHeaders && len(appended) > 0 {
		return errors.New("webhook headers are encrypted one by one: set them whole (SetHeaders), not appended")
	}
	id, ok := m.ID()
	if !ok {
		return errors.New("webhook credentials are encrypted for their row: set them on one webhook at a time (UpdateOne), not in a bulk update")
	}
	seal := func(column, plain string) string { return keys.Seal(Table, id, column, plain) }
	if setSecret {
		m.SetSecret(seal(ColSecret, secret))
	}
	if setPrevious {
		m.SetPreviousSecret(seal(ColPrevious, previous))
	}
	if setPassword {
		m.SetBasicPassword(seal(ColPassword, password))
	}
	if setJWT {
		m.SetJwtSecret(seal(ColJWTSecret, jwtSecret))
	}
	if setHeaders {
		m.SetHeaders(SealHeaders(keys, id, headers))
	}
	return nil
}

// SealHeaders returns headers with their values sealed for webhook id.
func SealHeaders(keys *Keys, id string, headers []schematype.Header) []schematype.Header {
	out := make([]schematype.Header, len(headers))
	for i, h := range headers {
		out[i] = schematype.Header{Name: h.Name, Value: keys.Seal(Table, id, HeaderColumn(h.Name), h.Value)}
	}
	return out
}

// OpenHeaders returns headers with their values opened, for webhook id.
func OpenHeaders(keys *Keys, id string, headers []schematype.Header) ([]schematype.Header, error) {
	out := make([]schematype.Header, len(headers))
	for i, h := range headers {
		v, err := keys.Open(Table, id, HeaderColumn(h.Name), h.Value)
		if err != nil {
			return nil, fmt.Errorf("webhook %s's header %q: %w", id, h.Name, err)
		}
		out[i] = schematype.Header{Name: h.Name, Value: v}
	}
	return out, nil
}

// OpenWebhook opens wh's credentials in place. A query may select only
// some columns: those not read (empty) are left alone.
func OpenWebhook(keys *Keys, wh *ent.Webhook) error {
	var err error
	if wh.Secret != "" {
		if wh.Secret, err = OpenColumn(keys, wh.ID, ColSecret, wh.Secret); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		column string
		v      *string
	}{{ColPrevious, wh.PreviousSecret}, {ColPassword, wh.BasicPassword}, {ColJWTSecret, wh.JwtSecret}} {
		if f.v == nil || *f.v == "" {
			continue
		}
		if *f.v, err = OpenColumn(keys, wh.ID, f.column, *f.v); err != nil {
			return err
		}
	}
	if len(wh.Headers) > 0 {
		wh.Headers, err = OpenHeaders(keys, wh.ID, wh.Headers)
	}
	return err
}

// OpenColumn opens the value of a webhook's credential column, with an
// error naming the webhook and column (never the value).
func OpenColumn(keys *Keys, id, column, value string) (string, error) {
	plain, err := keys.Open(Table, id, column, value)
	if err != nil {
		return "", fmt.Errorf("webhook %s's %s: %w", id, column, err)
	}
	return plain, nil
}
