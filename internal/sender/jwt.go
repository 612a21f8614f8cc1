package sender

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"time"
)

// JWTIssuer is the iss claim of every JWT hookd signs.
const JWTIssuer = "hookd"

// jwtHeader is the base64url of {"alg":"HS256","typ":"JWT"}.
const jwtHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

// jwtBuffers are the scratch state of one JWT, pooled because every
// attempt of a JWT webhook makes one.
type jwtBuffers struct {
	claims []byte
	token  []byte
	sum    [sha256.Size]byte
}

// maxPooledJWTBuffer is the largest buffer kept for reuse (a webhook's
// customData can make the claims large).
const maxPooledJWTBuffer = 16 << 10

var jwtPool = sync.Pool{New: func() any { return &jwtBuffers{} }}

// bearerPrefix starts the authorization value of a JWT webhook.
const bearerPrefix = "Bearer "

// bearerJWT returns the authorization value "Bearer <JWT>": the HS256 JWT
// of an attempt, signed with wh.JWTSecret (which must not be empty). Its
// claims, in this order: iss, iat (now), exp (iat + wh.JWTTTL, default
// 600 s), jti (attempt ID), webhook_id, webhook_name, workspace_id,
// event_id, event_type, entity_type, entity_id, triggered_at,
// last_success_at, last_failure_at (RFC 3339 or null), processing_timeout
// (the attempt timeout in whole seconds), data (the webhook's customData or
// null) and body_sha256 (unpadded base64url of the SHA-256 of body, so the
// token vouches for the payload).
func bearerJWT(wh *Webhook, msg *Message, at *Attempt, now time.Time, body []byte) string {
	buf := jwtPool.Get().(*jwtBuffers)
	defer func() {
		if cap(buf.claims) > maxPooledJWTBuffer || cap(buf.token) > maxPooledJWTBuffer {
			return
		}
		clear(buf.sum[:]) // no MAC left in the pool
		jwtPool.Put(buf)
	}()

	ttl := wh.JWTTTL
	if ttl <= 0 {
		ttl = JWTTTLDefault
	}
	iat := now.Unix()

	c := buf.claims[:0]
	c = append(c, `{"iss":"`+JWTIssuer+`","iat":`...)
	c = strconv.AppendInt(c, iat, 10)
	c = append(c, `,"exp":`...)
	c = strconv.AppendInt(c, iat+ceilSeconds(ttl), 10)
	c = append(c, `,"jti":`...)
	c = appendJSONString(c, at.ID)
	c = append(c, `,"webhook_id":`...)
	c = appendJSONString(c, wh.ID)
	c = append(c, `,"webhook_name":`...)
	c = appendJSONString(c, wh.Name)
	c = append(c, `,"workspace_id":`...)
	c = appendJSONString(c, wh.WorkspaceID)
	c = append(c, `,"event_id":`...)
	if msg.EventID == "" {
		c = append(c, jsonNull...)
	} else {
		c = appendJSONString(c, msg.EventID)
	}
	c = append(c, `,"event_type":`...)
	c = appendJSONString(c, msg.Type)
	c = append(c, `,"entity_type":`...)
	c = appendOptString(c, msg.EntityType)
	c = append(c, `,"entity_id":`...)
	c = appendOptString(c, msg.EntityID)
	c = append(c, `,"triggered_at":`...)
	if at.TriggeredAt.IsZero() {
		c = append(c, jsonNull...)
	} else {
		c = appendTime(c, at.TriggeredAt)
	}
	c = append(c, `,"last_success_at":`...)
	c = appendOptTime(c, at.LastSuccessAt)
	c = append(c, `,"last_failure_at":`...)
	c = appendOptTime(c, at.LastFailureAt)
	c = append(c, `,"processing_timeout":`...)
	c = strconv.AppendInt(c, ceilSeconds(wh.timeout()), 10)
	c = append(c, `,"data":`...)
	if isSet(wh.CustomData) {
		c = append(c, wh.CustomData...)
	} else {
		c = append(c, jsonNull...)
	}
	c = append(c, `,"body_sha256":"`...)
	sum := sha256.Sum256(body)
	c = base64.RawURLEncoding.AppendEncode(c, sum[:])
	c = append(c, `"}`...)
	buf.claims = c

	t := buf.token[:0]
	t = append(t, bearerPrefix+jwtHeader+"."...)
	t = base64.RawURLEncoding.AppendEncode(t, c)
	mac := hmac.New(sha256.New, []byte(wh.JWTSecret))
	mac.Write(t[len(bearerPrefix):])
	sig := mac.Sum(buf.sum[:0])
	t = append(t, '.')
	t = base64.RawURLEncoding.AppendEncode(t, sig)
	buf.token = t
	return string(t)
}

// ceilSeconds returns d in whole seconds, rounded up.
func ceilSeconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

// appendOptString appends s as a JSON string, or null when nil.
func appendOptString(dst []byte, s *string) []byte {
	if s == nil {
		return append(dst, jsonNull...)
	}
	return appendJSONString(dst, *s)
}

// appendOptTime appends t as a quoted RFC 3339 time, or null when nil.
func appendOptTime(dst []byte, t *time.Time) []byte {
	if t == nil {
		return append(dst, jsonNull...)
	}
	return appendTime(dst, *t)
}
