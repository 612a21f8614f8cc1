package signature_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/signature"
)

func TestVerify(t *testing.T) {
	t.Parallel()

	newSecret := signature.GenerateSecret()
	sentAt := time.Unix(vectorTimestamp, 0)
	timestamp := strconv.FormatInt(vectorTimestamp, 10)
	body := []byte(vectorPayload)
	rotated := signature.Header([][]byte{mustKey(t, newSecret), mustKey(t, vectorSecret)}, vectorMsgID, sentAt, body)

	testCases := []struct {
		name      string
		secrets   []string
		msgID     string
		timestamp string
		header    string
		body      string
		now       time.Time
		wantErr   error
	}{
		{"official vector", []string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt, nil},
		{"bare base64 secret", []string{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt, nil},
		{"within tolerance", []string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt.Add(4 * time.Minute), nil},
		{"within tolerance, receiver clock behind", []string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt.Add(-4 * time.Minute), nil},
		{"other versions ignored", []string{vectorSecret}, vectorMsgID, timestamp, "v2,abc v1,bm90IGl0 " + vectorSignature, vectorPayload, sentAt, nil},
		{"rotated, receiver has old secret", []string{vectorSecret}, vectorMsgID, timestamp, rotated, vectorPayload, sentAt, nil},
		{"rotated, receiver has new secret", []string{newSecret}, vectorMsgID, timestamp, rotated, vectorPayload, sentAt, nil},
		{"receiver has both secrets", []string{signature.GenerateSecret(), vectorSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt, nil},

		{"tampered body", []string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, `{"test": 2432232315}`, sentAt, signature.ErrNoMatch},
		{"tampered message id", []string{vectorSecret}, "msg_other", timestamp, vectorSignature, vectorPayload, sentAt, signature.ErrNoMatch},
		{"tampered timestamp", []string{vectorSecret}, vectorMsgID, strconv.FormatInt(vectorTimestamp+1, 10), vectorSignature, vectorPayload, sentAt, signature.ErrNoMatch},
		{"wrong secret", []string{newSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt, signature.ErrNoMatch},
		{"old secret gone after rotation", []string{newSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt, signature.ErrNoMatch},
		{"empty signature header", []string{vectorSecret}, vectorMsgID, timestamp, "", vectorPayload, sentAt, signature.ErrNoMatch},
		{"missing message id", []string{vectorSecret}, "", timestamp, vectorSignature, vectorPayload, sentAt, signature.ErrNoMatch},
		{"signature without version", []string{vectorSecret}, vectorMsgID, timestamp, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", vectorPayload, sentAt, signature.ErrNoMatch},
		{"expired", []string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt.Add(6 * time.Minute), signature.ErrTimestamp},
		{"from the future", []string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt.Add(-6 * time.Minute), signature.ErrTimestamp},
		{"missing timestamp", []string{vectorSecret}, vectorMsgID, "", vectorSignature, vectorPayload, sentAt, signature.ErrTimestamp},
		{"malformed timestamp", []string{vectorSecret}, vectorMsgID, "yesterday", vectorSignature, vectorPayload, sentAt, signature.ErrTimestamp},
		{"malformed secret", []string{"whsec_short"}, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt, signature.ErrSecretFormat},
		{"no secrets", nil, vectorMsgID, timestamp, vectorSignature, vectorPayload, sentAt, signature.ErrSecretFormat},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			err := signature.Verify(tt.secrets, tt.msgID, tt.timestamp, tt.header, []byte(tt.body), tt.now, 0)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
		})
	}
}

func TestVerifyTolerance(t *testing.T) {
	t.Parallel()

	sentAt := time.Unix(vectorTimestamp, 0)
	timestamp := strconv.FormatInt(vectorTimestamp, 10)
	now := sentAt.Add(time.Hour)

	err := signature.Verify([]string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, []byte(vectorPayload), now, 2*time.Hour)
	require.NoError(t, err)
	err = signature.Verify([]string{vectorSecret}, vectorMsgID, timestamp, vectorSignature, []byte(vectorPayload), now, 30*time.Minute)
	require.ErrorIs(t, err, signature.ErrTimestamp)
}

func TestSignThenVerify(t *testing.T) {
	t.Parallel()

	secret := signature.GenerateSecret()
	now := time.Now()
	body := []byte(`{"type":"order.created","data":{"id":42}}`)
	header := signature.Header([][]byte{mustKey(t, secret)}, "evt_123", now, body)

	err := signature.Verify([]string{secret}, "evt_123", strconv.FormatInt(now.Unix(), 10), header, body, now, 0)
	require.NoError(t, err)
}
