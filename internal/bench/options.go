package bench

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/hookd/hookd/internal/publish"
)

// Defaults of the options.
const (
	EventsDefault         = 10000
	WebhooksDefault       = 1
	FanoutDefault         = 1
	SlowTimeoutDefault    = 2 // seconds
	BatchDefault          = 500
	ConcurrencyDefault    = 4  // publishEvents requests in flight, unpaced
	PacedConcurrencyMax   = 64 // publishEvent requests in flight, paced
	DrainTimeoutDefault   = 120 * time.Second
	ProgressEveryDefault  = time.Second
	RequestTimeoutDefault = 2 * time.Minute
)

// Options describe one bench run. The zero value of every field but URL and
// Token means its default.
type Options struct {
	// URL is hookd's base URL, e.g. http://127.0.0.1:8080; the API is at
	// URL + "/graphql". Required.
	URL string
	// Token is an instance admin token (hookd token create --admin): the
	// bench creates its own workspace. Required.
	Token string
	// Events is how many events are published (default 10000). With Rate
	// and Duration it is Rate × Duration instead, and must be left zero.
	Events int
	// Webhooks is how many webhooks are created, all pointing at the
	// bench's own receiver (default 1).
	Webhooks int
	// Fanout is how many webhooks each event reaches (default 1): the
	// webhooks are grouped Fanout per group, each group scoped to its own
	// entity, and events go round-robin over the groups. Webhooks must be
	// a multiple of Fanout.
	Fanout int
	// SlowWebhooks is how many of the webhooks (the last ones) never
	// answer: their requests are held until hookd gives up after
	// SlowTimeout. They have no retries, nothing is expected of them, and
	// their requests are counted apart (Report.SlowRequests). At most
	// Webhooks-1.
	SlowWebhooks int
	// SlowTimeout is the slow webhooks' timeoutSeconds (default 2, 1–600).
	SlowTimeout int
	// Rate, when positive, paces publishing at Rate events per second,
	// one publishEvent request per event, the k-th due at start + k/Rate.
	// Zero publishes as fast as possible with publishEvents batches.
	Rate float64
	// Duration, with Rate, publishes for this long: Events = Rate × Duration.
	Duration time.Duration
	// Batch is the number of events per publishEvents request when Rate
	// is zero (default 500, at most publish.MaxBatch).
	Batch int
	// Concurrency is the number of publish requests in flight (default 4;
	// with Rate, 64). A paced run that cannot start an event on time
	// because all of them are busy reports how late it was
	// (Report.BehindMS).
	Concurrency int
	// DrainTimeout bounds the wait for outstanding deliveries once
	// publishing ended (default 120 s); what has not arrived then is lost.
	DrainTimeout time.Duration
	// ProgressEvery is the interval of progress lines (default 1 s).
	ProgressEvery time.Duration
	// RequestTimeout bounds each API request (default 2 min).
	RequestTimeout time.Duration
	// RetryUntilAccepted gives every event an idempotency key and sends
	// each publish request again, whatever failed (UNAVAILABLE, a timeout,
	// a reset), until it is accepted or RetryFor has passed: what a client
	// that loses nothing does through a fault (a database restart, a
	// killed process).
	RetryUntilAccepted bool
	// RetryFor bounds RetryUntilAccepted's resending of one request
	// (default 2 min).
	RetryFor time.Duration
	// Subscribers is how many deliveryAttempts subscriptions (websockets) to
	// keep open during the run, measuring the live feed's latency.
	Subscribers int
	// PostgresURL, when set, is a superuser URL of hookd's database: the
	// bench counts the statements PostgreSQL runs there during the run
	// with pg_stat_statements, which the server must preload (see
	// CostOptions.PostgresURL).
	PostgresURL string
	// PostgresDataDir, when set, is the data directory of hookd's
	// PostgreSQL server on this machine: the bench measures the server's
	// CPU time from /proc (see CostOptions.PostgresDataDir).
	PostgresDataDir string
}

// WithDefaults returns o with every unset field at its default and Events
// computed from Rate × Duration when a duration is given.
func (o Options) WithDefaults() Options {
	o.URL = strings.TrimRight(strings.TrimSpace(o.URL), "/")
	if o.Events == 0 && o.Rate > 0 && o.Duration > 0 {
		o.Events = int(math.Round(o.Rate * o.Duration.Seconds()))
	} else if o.Events == 0 && o.Duration == 0 {
		o.Events = EventsDefault
	}
	if o.Webhooks == 0 {
		o.Webhooks = WebhooksDefault
	}
	if o.Fanout == 0 {
		o.Fanout = FanoutDefault
	}
	if o.SlowTimeout == 0 {
		o.SlowTimeout = SlowTimeoutDefault
	}
	if o.Batch == 0 {
		o.Batch = BatchDefault
	}
	if o.Concurrency == 0 {
		o.Concurrency = ConcurrencyDefault
		if o.Rate > 0 {
			o.Concurrency = PacedConcurrencyMax
		}
	}
	if o.DrainTimeout == 0 {
		o.DrainTimeout = DrainTimeoutDefault
	}
	if o.ProgressEvery == 0 {
		o.ProgressEvery = ProgressEveryDefault
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = RequestTimeoutDefault
	}
	return o
}

// Validate returns an error naming every option that is wrong and how to
// fix it. Call it on the result of WithDefaults.
func (o Options) Validate() error {
	var errs []error
	if u, err := url.Parse(o.URL); o.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--url must be hookd's base URL, e.g. http://127.0.0.1:8080, got %q", o.URL))
	}
	if o.Token == "" {
		errs = append(errs, errors.New("--token is required: an instance admin token (hookd token create --admin)"))
	}
	if o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) {
		errs = append(errs, fmt.Errorf("--rate must be 0 (as fast as possible) or a positive number of events per second, got %v", o.Rate))
	}
	if o.Duration < 0 {
		errs = append(errs, fmt.Errorf("--duration must be positive, got %s", o.Duration))
	}
	if o.Duration > 0 && o.Rate <= 0 {
		errs = append(errs, errors.New("--duration needs --rate (events = rate × duration); without --rate give --events"))
	}
	if o.Duration > 0 && o.Rate > 0 && o.Events != int(math.Round(o.Rate*o.Duration.Seconds())) {
		errs = append(errs, errors.New("give --events or --duration, not both"))
	}
	if o.Events < 1 {
		errs = append(errs, fmt.Errorf("--events must be at least 1 (or --rate × --duration at least one event), got %d", o.Events))
	}
	if o.Webhooks < 1 {
		errs = append(errs, fmt.Errorf("--webhooks must be at least 1, got %d", o.Webhooks))
	}
	if o.Fanout < 1 || o.Fanout > o.Webhooks || o.Webhooks%o.Fanout != 0 {
		errs = append(errs, fmt.Errorf("--fanout must divide --webhooks (%d) so every event reaches exactly --fanout webhooks, got %d", o.Webhooks, o.Fanout))
	}
	if o.SlowWebhooks < 0 || o.SlowWebhooks >= o.Webhooks {
		errs = append(errs, fmt.Errorf("--slow-webhooks must be between 0 and --webhooks - 1 (%d), got %d", o.Webhooks-1, o.SlowWebhooks))
	}
	if o.SlowTimeout < 1 || o.SlowTimeout > 600 {
		errs = append(errs, fmt.Errorf("--timeout-seconds must be between 1 and 600, got %d", o.SlowTimeout))
	}
	if o.Batch < 1 || o.Batch > publish.MaxBatch {
		errs = append(errs, fmt.Errorf("--batch must be between 1 and %d (the most publishEvents accepts), got %d", publish.MaxBatch, o.Batch))
	}
	if o.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("--concurrency must be at least 1, got %d", o.Concurrency))
	}
	if o.DrainTimeout < 0 {
		errs = append(errs, fmt.Errorf("--drain-timeout must be positive, got %s", o.DrainTimeout))
	}
	if o.ProgressEvery < 0 || o.RequestTimeout < 0 {
		errs = append(errs, errors.New("ProgressEvery and RequestTimeout must be positive"))
	}
	return errors.Join(errs...)
}

// layout is where every event goes: which webhooks are slow, which group
// each webhook is in, and the slot of each expected (webhook, event) pair
// in the receiver's tables.
type layout struct {
	events   int
	webhooks int
	fanout   int
	fast     int // webhooks 0..fast-1 are fast, the rest slow
	groups   int // webhooks / fanout
	perHook  int // slots per fast webhook: ceil(events / groups)
}

func newLayout(o Options) layout {
	groups := o.Webhooks / o.Fanout
	return layout{
		events: o.Events, webhooks: o.Webhooks, fanout: o.Fanout,
		fast: o.Webhooks - o.SlowWebhooks, groups: groups,
		perHook: (o.Events + groups - 1) / groups,
	}
}

// group returns the group (and entityId) of webhook i.
func (l layout) group(i int) int { return i / l.fanout }

// eventGroup returns the group that event seq is published to.
func (l layout) eventGroup(seq int) int { return seq % l.groups }

// slow reports whether webhook i is a slow one.
func (l layout) slow(i int) bool { return i >= l.fast }

// slots is the size of the receiver's tables.
func (l layout) slots() int { return l.fast * l.perHook }

// slot returns the table index of (fast webhook i, event seq), or false
// when webhook i should never get event seq.
func (l layout) slot(i, seq int) (int, bool) {
	if i < 0 || i >= l.fast || seq < 0 || seq >= l.events || l.eventGroup(seq) != l.group(i) {
		return 0, false
	}
	return i*l.perHook + seq/l.groups, true
}

// expected is the number of (fast webhook, event) pairs that must arrive.
func (l layout) expected() int {
	n := 0
	for i := range l.fast {
		g := l.group(i)
		n += l.events / l.groups
		if g < l.events%l.groups {
			n++
		}
	}
	return n
}
