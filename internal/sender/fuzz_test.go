package sender_test

import (
	"bufio"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookd/hookd/internal/safehttp"
	"github.com/hookd/hookd/internal/sender"
)

// rawReceiver answers every connection on loopback with the bytes of its
// current response, whatever they are, then closes it.
type rawReceiver struct {
	ln       net.Listener
	response atomic.Pointer[[]byte]
}

func startRawReceiver(f *testing.F) *rawReceiver {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	r := &rawReceiver{ln: ln}
	f.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				// The request is read whole first, so that closing the
				// connection never resets it under the client's write.
				if req, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
					_, _ = req.Body.Read(make([]byte, 1<<16))
				}
				if p := r.response.Load(); p != nil {
					_, _ = c.Write(*p)
				}
			}()
		}
	}()
	return r
}

// FuzzResponse: whatever bytes a receiver answers with (a status line,
// headers, Retry-After, a body; valid HTTP or not), an attempt ends within
// its timeout with a result that is a success only for a 2xx status, says
// what went wrong otherwise, and keeps at most the body limit.
func FuzzResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 503 Unavailable\r\nRetry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n",
		"HTTP/1.1 503 Unavailable\r\nRetry-After: 99999999999999999999\r\n\r\n",
		"HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.example/\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
		"HTTP/1.0 200 OK\r\n\r\nbody until close",
		"HTTP/1.1 999 Odd\r\n\r\n",
		"HTTP/1.1 200\r\nX: \xff\xfe\r\n\r\n\x00\x01",
		"SSH-2.0-OpenSSH_9.6\r\n",
		"",
	} {
		f.Add([]byte(s))
	}
	rr := startRawReceiver(f)
	client := safehttp.NewClient(safehttp.Config{AllowPrivateNetworks: true})
	s := &sender.Sender{Client: client}
	wh := testWebhook(f, "http://"+rr.ln.Addr().String()+"/hook")
	wh.Timeout = 2 * time.Second
	f.Fuzz(func(t *testing.T, raw []byte) {
		rr.response.Store(&raw)
		res := s.Send(t.Context(), wh, testMessage(), testAttempt())
		if res.Duration > wh.Timeout+time.Second {
			t.Fatalf("the attempt took %s, past its timeout", res.Duration)
		}
		if res.Success != (res.ErrorKind == "") {
			t.Fatalf("success %v with error kind %q (%v)", res.Success, res.ErrorKind, res.Err)
		}
		if res.Success && (res.Status < 200 || res.Status > 299) {
			t.Fatalf("success with status %d", res.Status)
		}
		if !res.Success && res.Err == nil {
			t.Fatalf("failure (%s) without an error", res.ErrorKind)
		}
		if len(res.ResponseBody) > safehttp.ResponseBodyLimit {
			t.Fatalf("kept %d bytes of body", len(res.ResponseBody))
		}
		if res.RetryAfter < 0 {
			t.Fatalf("Retry-After %s", res.RetryAfter)
		}
	})
}
