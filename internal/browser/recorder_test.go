package browser

import (
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/stretchr/testify/require"
)

func TestRecorder(t *testing.T) {
	t.Parallel()

	r := &recorder{}
	r.record(&runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeLog, Args: []*runtime.RemoteObject{{Type: "string", Value: []byte(`"fine"`)}}})
	r.record(&runtime.EventConsoleAPICalled{Type: runtime.ConsoleAPICalledTypeError, Args: []*runtime.RemoteObject{
		{Type: "string", Value: []byte(`"failed:"`)}, {Type: "number", Value: []byte(`404`)}, {Type: "object", Description: "Error: x"},
	}})
	r.record(&log.EventEntryAdded{Entry: &log.Entry{Source: log.EntrySourceSecurity, Level: log.EntryLevelError,
		Text: "Loading the script 'https://cdn.example/x.js' violates the following Content Security Policy directive", URL: "http://h/console/"}})
	r.record("not an event") // ignored
	r.record(&log.EventEntryAdded{Entry: &log.Entry{Source: log.EntrySourceNetwork, Level: log.EntryLevelWarning, Text: "slow"}})
	r.record(&runtime.EventExceptionThrown{ExceptionDetails: &runtime.ExceptionDetails{Text: "Uncaught", Exception: &runtime.RemoteObject{Description: "TypeError: y"}}})

	require.Equal(t, []Problem{
		{Kind: ConsoleError, Text: "failed: 404 Error: x"},
		{Kind: Violation, Text: "Loading the script 'https://cdn.example/x.js' violates the following Content Security Policy directive", URL: "http://h/console/"},
		{Kind: Exception, Text: "Uncaught TypeError: y"},
	}, r.all())
	require.Len(t, r.unexpected(), 3)

	r.expect(regexp.MustCompile(`^uncaught exception: .*TypeError`))
	r.expect(regexp.MustCompile(`cdn\.example`))
	require.Equal(t, []Problem{{Kind: ConsoleError, Text: "failed: 404 Error: x"}}, r.unexpected())
}
