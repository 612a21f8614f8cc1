package safehttp_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/safehttp"
)

func TestClassify(t *testing.T) {
	t.Parallel()

	// doErr wraps err the way http.Client.Do does.
	doErr := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://receiver.example.com/hook", Err: err}
	}
	opErr := func(err error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", err)}
	}
	testCases := []struct {
		name string
		err  error
		want safehttp.ErrorKind
	}{
		{"nil", nil, ""},
		{"blocked", doErr(&safehttp.BlockedError{Host: "10.0.0.1", Addr: netip.MustParseAddr("10.0.0.1"), Reason: "private"}), safehttp.KindBlocked},
		{"deadline", doErr(context.DeadlineExceeded), safehttp.KindTimeout},
		{"deadline during DNS", doErr(fmt.Errorf("resolving: %w", &net.DNSError{Err: "i/o timeout", IsTimeout: true, UnwrapErr: context.DeadlineExceeded})), safehttp.KindTimeout},
		{"net timeout", doErr(&net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}), safehttp.KindTimeout},
		{"cancelled", doErr(context.Canceled), safehttp.KindInternal},
		{"DNS", doErr(&net.DNSError{Err: "no such host", Name: "x.example", IsNotFound: true}), safehttp.KindDNS},
		{"unknown authority", doErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), safehttp.KindTLS},
		{"hostname mismatch", doErr(x509.HostnameError{Host: "x.example", Certificate: &x509.Certificate{}}), safehttp.KindTLS},
		{"expired", doErr(x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{}}), safehttp.KindTLS},
		{"record header", doErr(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), safehttp.KindTLS},
		{"alert", doErr(&net.OpError{Op: "remote error", Err: tls.AlertError(40)}), safehttp.KindTLS},
		{"plain HTTP answer", doErr(errors.New("http: server gave HTTP response to HTTPS client")), safehttp.KindTLS},
		{"refused", doErr(opErr(syscall.ECONNREFUSED)), safehttp.KindConnection},
		{"reset", doErr(opErr(syscall.ECONNRESET)), safehttp.KindConnection},
		{"unreachable", doErr(opErr(syscall.EHOSTUNREACH)), safehttp.KindConnection},
		{"EOF", doErr(io.EOF), safehttp.KindConnection},
		{"unexpected EOF reading body", fmt.Errorf("reading response body: %w", io.ErrUnexpectedEOF), safehttp.KindConnection},
		{"malformed response", doErr(errors.New(`net/http: HTTP/1.x transport connection broken: malformed HTTP response "hello"`)), safehttp.KindProtocol},
		{"headers too large", doErr(errors.New(`net/http: server response headers exceeded 262144 bytes; aborted`)), safehttp.KindProtocol},
		{"broken chunking", errors.New(`malformed chunked encoding`), safehttp.KindProtocol},
		{"invalid header", doErr(errors.New(`net/http: invalid header field value for "X-Test"`)), safehttp.KindInvalidRequest},
		{"unsupported scheme", doErr(errors.New(`unsupported protocol scheme "ftp"`)), safehttp.KindInvalidRequest},
		{"unknown", errors.New("something else"), safehttp.KindInternal},
	}
	for _, tt := range testCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			require.Equal(t, tt.want, safehttp.Classify(tt.err))
		})
	}
}
