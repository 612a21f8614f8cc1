// Package version holds hookd's version, as reported in the user-agent of
// every request it sends to a webhook and by the CLI.
package version

// Version is hookd's semantic version.
const Version = "0.1.0"

// UserAgent returns the user-agent header hookd sends with every webhook
// request: "hookd/" followed by [Version].
func UserAgent() string { return "hookd/" + Version }
