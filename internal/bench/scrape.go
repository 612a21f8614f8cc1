package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// processCPUMetric is the Prometheus process collector's counter of the
// process's user and system CPU time, in seconds.
const processCPUMetric = "process_cpu_seconds_total"

// scrapeTimeout bounds one scrape of /metrics.
const scrapeTimeout = 10 * time.Second

// errNoProcessCPU is wrapped by scrapeProcessCPU's error when the metrics
// have no process_cpu_seconds_total.
var errNoProcessCPU = errors.New("no " + processCPUMetric + " in the metrics (the server exposes no process collector)")

// scrapeProcessCPU returns the CPU time the process serving metricsURL has
// used so far, from its process_cpu_seconds_total in the Prometheus text
// format.
func scrapeProcessCPU(ctx context.Context, client *http.Client, metricsURL string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, scrapeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, metricsURL, nil)
	if err != nil {
		return 0, fmt.Errorf("scraping %s: %w", metricsURL, err)
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("scraping %s: %w", metricsURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return 0, fmt.Errorf("scraping %s: %s", metricsURL, resp.Status)
	}
	seconds, err := parseProcessCPU(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("scraping %s: %w", metricsURL, err)
	}
	return time.Duration(math.Round(seconds * float64(time.Second))), nil
}

// parseProcessCPU returns the value of process_cpu_seconds_total in a
// Prometheus text exposition.
func parseProcessCPU(r io.Reader) (float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, processCPUMetric)
		if !ok || !strings.HasPrefix(rest, " ") {
			continue
		}
		// "name value [timestamp]"
		fields := strings.Fields(rest)
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return 0, fmt.Errorf("reading %s: %w", processCPUMetric, err)
		}
		return v, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading the metrics: %w", err)
	}
	return 0, errNoProcessCPU
}
