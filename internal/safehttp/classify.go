package safehttp

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// ErrorKind is the kind of a failed delivery attempt, recorded as its
// errorKind. The values are part of the public API.
type ErrorKind string

// The kinds of failed attempts.
const (
	// KindTimeout: the attempt's timeout passed before the response
	// headers arrived (or while connecting or in the TLS handshake).
	KindTimeout ErrorKind = "TIMEOUT"
	// KindConnection: the connection was refused, reset or closed early.
	KindConnection ErrorKind = "CONNECTION"
	// KindProtocol: the receiver's answer is not valid HTTP (a malformed
	// status line, header, chunk or length), or its headers exceed
	// MaxResponseHeaderBytes.
	KindProtocol ErrorKind = "PROTOCOL"
	// KindDNS: the host name did not resolve.
	KindDNS ErrorKind = "DNS"
	// KindTLS: the TLS handshake failed, usually an untrusted, expired or
	// mismatched certificate.
	KindTLS ErrorKind = "TLS"
	// KindBlocked: the destination is an address webhooks may not reach
	// (see package urlpolicy).
	KindBlocked ErrorKind = "BLOCKED"
	// KindHTTPStatus: the receiver answered with a status other than 2xx,
	// redirects included. Classify never returns it: callers set it from
	// the response.
	KindHTTPStatus ErrorKind = "HTTP_STATUS"
	// KindInvalidRequest: the request could not be sent as configured
	// (for example an invalid custom header value).
	KindInvalidRequest ErrorKind = "INVALID_REQUEST"
	// KindInternal: hookd itself failed, or the attempt was cancelled
	// (for example while the server shut down).
	KindInternal ErrorKind = "INTERNAL"
)

// Classify returns the kind of err, an error returned by the Do method of a
// client from [NewClient] (or by reading its response body). It returns ""
// for a nil error.
//
// A passed context deadline or any network timeout is [KindTimeout]; a
// refused destination [KindBlocked]; a *net.DNSError [KindDNS]; TLS and
// certificate errors [KindTLS]; refused, reset or prematurely closed
// connections and malformed responses [KindConnection]; requests net/http
// refuses to send [KindInvalidRequest]; a cancelled context and anything
// unknown [KindInternal].
func Classify(err error) ErrorKind {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrBlocked):
		return KindBlocked
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.Is(err, context.Canceled):
		return KindInternal
	}
	if dnsErr := (*net.DNSError)(nil); errors.As(err, &dnsErr) {
		return KindDNS
	}
	if isTLS(err) {
		return KindTLS
	}
	if netErr := net.Error(nil); errors.As(err, &netErr) && netErr.Timeout() {
		return KindTimeout
	}
	if isInvalidRequest(err) {
		return KindInvalidRequest
	}
	if isProtocol(err) {
		return KindProtocol
	}
	if isConnection(err) {
		return KindConnection
	}
	// Any other failure of the HTTP exchange itself (net/http wraps every
	// one in *url.Error) is the receiver's connection misbehaving.
	if urlErr := (*url.Error)(nil); errors.As(err, &urlErr) {
		return KindConnection
	}
	return KindInternal
}

// isTLS reports whether err comes from the TLS handshake or certificate
// verification.
func isTLS(err error) bool {
	var (
		verifyErr    *tls.CertificateVerificationError
		recordErr    tls.RecordHeaderError
		alertErr     tls.AlertError
		echErr       *tls.ECHRejectionError
		authorityErr x509.UnknownAuthorityError
		hostnameErr  x509.HostnameError
		invalidErr   x509.CertificateInvalidError
		rootsErr     x509.SystemRootsError
	)
	switch {
	case errors.As(err, &verifyErr),
		errors.As(err, &recordErr),
		errors.As(err, &alertErr),
		errors.As(err, &echErr),
		errors.As(err, &authorityErr),
		errors.As(err, &hostnameErr),
		errors.As(err, &invalidErr),
		errors.As(err, &rootsErr):
		return true
	}
	// crypto/tls reports many handshake failures as plain errors whose
	// text starts with "tls: "; net/http reports a plain-HTTP answer to a
	// TLS client as text too.
	msg := err.Error()
	return strings.Contains(msg, "tls: ") ||
		strings.Contains(msg, "x509: ") ||
		strings.Contains(msg, "server gave HTTP response to HTTPS client")
}

// protocolErrors are the texts of net/http's errors for answers that are
// not valid HTTP (it has no types for them).
var protocolErrors = []string{
	"malformed HTTP",                    // status line, version, header line
	"server response headers exceeded",  // MaxResponseHeaderBytes
	"malformed chunked encoding",        // body
	"invalid byte in chunk length",      // body
	"chunk length too large",            // body
	"bad Content-Length",                // header
	"invalid Content-Length",            // header
	"invalid Trailer",                   // header
	"unsupported transfer encoding",     // header
	"too many transfer encodings",       // header
	"failed to parse Transfer-Encoding", // header
}

// isProtocol reports whether err says the receiver's answer is not valid
// HTTP.
func isProtocol(err error) bool { return says(err, protocolErrors) }

// says reports whether err's text contains one of texts.
func says(err error, texts []string) bool {
	msg := err.Error()
	for _, text := range texts {
		if strings.Contains(msg, text) {
			return true
		}
	}
	return false
}

// isConnection reports whether err is a refused, reset or closed connection.
func isConnection(err error) bool {
	for _, target := range []error{
		syscall.ECONNREFUSED,
		syscall.ECONNRESET,
		syscall.ECONNABORTED,
		syscall.EPIPE,
		syscall.EHOSTUNREACH,
		syscall.ENETUNREACH,
		syscall.EHOSTDOWN,
		syscall.ENETDOWN,
		io.EOF,
		io.ErrUnexpectedEOF,
		net.ErrClosed,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	var opErr *net.OpError
	return errors.As(err, &opErr)
}

// invalidRequestTexts are the messages of the errors net/http returns,
// without a distinct type, for a request it refuses to send.
var invalidRequestTexts = []string{
	"unsupported protocol scheme",
	"no Host in request URL",
	"invalid header field",
	"invalid method",
	"invalid URL",
	"can't write control character",
	"nil Request",
}

func isInvalidRequest(err error) bool { return says(err, invalidRequestTexts) }
