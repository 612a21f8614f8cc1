package jobs_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hookd/hookd/internal/apitest"
)

// rawServer answers each connection on loopback with serve, after reading
// the request's head.
func rawServer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(30 * time.Second))
				if req, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
					_, _ = req.Body.Read(make([]byte, 1<<16))
				}
				serve(c)
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/hook"
}

// tlsServer is an HTTPS receiver on loopback whose certificate is
// self-signed, and expired when expired is set.
func tlsServer(t *testing.T, expired bool) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	notBefore, notAfter := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	if expired {
		notBefore, notAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
	}
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}}, &key.PublicKey, key)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("a request went through a TLS connection hookd must not trust")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/hook"
}

// TestMisbehavingReceivers: each way a receiver can misbehave ends its
// attempt within the webhook's timeout (2 s), recorded with the right
// errorKind, while a well-behaved webhook's deliveries go on meanwhile.
func TestMisbehavingReceivers(t *testing.T) {
	t.Parallel()

	b := setup(t, apitest.Options{})
	redirected := apitest.NewReceiver(t, nil)
	cases := []struct {
		name      string
		url       string
		success   bool
		errorKind string
		error     string // in the recorded error, when set
	}{
		{name: "drips its response a byte a second", errorKind: "TIMEOUT", url: rawServer(t, func(c net.Conn) {
			for _, ch := range []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") {
				if _, err := c.Write([]byte{ch}); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		})},
		{name: "sends an endless body", success: true, url: rawServer(t, func(c net.Conn) {
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"))
			chunk := []byte(strings.Repeat("x", 32<<10))
			for {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		})},
		{name: "sends 1 MiB of headers", errorKind: "PROTOCOL", error: "headers", url: rawServer(t, func(c net.Conn) {
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\n"))
			line := []byte("X-Filler: " + strings.Repeat("h", 1000) + "\r\n")
			for range (1 << 20) / len(line) {
				if _, err := c.Write(line); err != nil {
					return
				}
			}
			_, _ = c.Write([]byte("\r\n"))
		})},
		{name: "answers something that is not HTTP", errorKind: "PROTOCOL", url: rawServer(t, func(c net.Conn) {
			_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
		})},
		{name: "resets the connection", errorKind: "CONNECTION", url: rawServer(t, func(c net.Conn) {
			_ = c.(*net.TCPConn).SetLinger(0)
		})},
		{name: "presents a self-signed certificate", errorKind: "TLS", url: tlsServer(t, false)},
		{name: "presents an expired certificate", errorKind: "TLS", url: tlsServer(t, true)},
		{name: "answers 200 after the timeout", errorKind: "TIMEOUT", url: rawServer(t, func(c net.Conn) {
			time.Sleep(4 * time.Second)
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
		})},
	}
	for _, code := range []int{301, 302, 307, 308} {
		cases = append(cases, struct {
			name      string
			url       string
			success   bool
			errorKind string
			error     string
		}{name: fmt.Sprintf("answers a %d redirect", code), errorKind: "HTTP_STATUS", error: "Location: " + redirected.URL, url: rawServer(t, func(c net.Conn) {
			_, _ = fmt.Fprintf(c, "HTTP/1.1 %d Moved\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n", code, redirected.URL)
		})})
	}

	good := apitest.NewReceiver(t, nil)
	b.eventType(t, "good")
	b.webhook(t, map[string]any{"url": good.URL, "events": []string{"good"}})
	deliveries := make([]string, len(cases))
	for i, c := range cases {
		typ := fmt.Sprintf("bad%d", i)
		b.eventType(t, typ)
		b.webhook(t, map[string]any{"url": c.url, "events": []string{typ}, "timeoutSeconds": 2,
			"retryPolicy": map[string]any{"schedule": []int{}}})
		deliveries[i] = b.publish(t, map[string]any{"type": typ, "payload": i}).deliveryIDs()[0]
	}
	// Meanwhile, a well-behaved webhook's deliveries arrive at once.
	for i := range 5 {
		sent := time.Now()
		b.publish(t, map[string]any{"type": "good", "payload": i})
		require.Eventually(t, func() bool { return len(good.Received()) == i+1 }, 2*time.Second, 5*time.Millisecond,
			"a good webhook's delivery waited behind the misbehaving receivers")
		require.Less(t, time.Since(sent), 2*time.Second)
	}

	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := "FAILED"
			if c.success {
				want = "SUCCEEDED"
			}
			d := b.waitStatus(t, deliveries[i], want, 20*time.Second)
			require.Len(t, d.Attempts, 1)
			a := d.Attempts[0]
			require.Equal(t, c.success, a.Success)
			if c.errorKind != "" {
				require.NotNil(t, a.ErrorKind, "%+v", a)
				require.Equal(t, c.errorKind, *a.ErrorKind, "error: %v", a.Error)
			}
			if c.error != "" {
				require.NotNil(t, a.Error)
				require.Contains(t, *a.Error, c.error)
			}
			require.LessOrEqual(t, a.DurationMs, 3000, "the worker was free again within the webhook's timeout")
			if c.success {
				require.NotNil(t, a.ResponseBody)
				require.LessOrEqual(t, len(*a.ResponseBody), 64<<10, "the body kept is bounded")
			}
		})
	}
	require.Empty(t, redirected.Received(), "redirects are not followed")
}
