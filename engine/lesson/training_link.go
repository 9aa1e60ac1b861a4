package lesson

import (
	"encoding/json"
	"fmt"
	"time"
)

// TrainLink carries commands from the page to a training session and the
// session's reports back. The page holds one; whether the session runs in
// a Web Worker (wasm/trainlink_js.go) or inside the page's own frames
// (LocalTrainLink), the same commands give the same reports, both being a
// TrainHost fed JSON.
type TrainLink interface {
	// Send passes a command on; commands arrive in the order sent. A
	// refused command is answered by a message in a later report.
	Send(c TrainCommand)
	// Poll appends to dst, in order, every report that arrived since the
	// last Poll, and returns it. Poll is called once per frame; budget is
	// the time the caller allows a link that trains on the caller's own
	// thread (LocalTrainLink); a worker's link ignores it.
	Poll(budget time.Duration, dst []*TrainReport) []*TrainReport
	// Where says where the session runs: "worker", "page", "starting"
	// while a worker is being started (commands wait until it is up), or
	// "idle" before the first command (the worker link starts its worker
	// at the first Send, so a page sends nothing until the lesson shows).
	Where() string
}

// Report pacing.
const (
	// TrainReportEvery is the least time between two reports of training
	// progress (ten a second).
	TrainReportEvery = 100 * time.Millisecond
	// trainAckEvery is the least time between reports that answer commands.
	trainAckEvery = 20 * time.Millisecond
)

// TrainHost runs a session for a loop that receives commands as JSON and
// sends reports as JSON: the Web Worker's main loop, and LocalTrainLink
// inside the page. A loop calls Receive for every command, Work with a
// slice of time, and Report after each slice.
type TrainHost struct {
	Session *TrainSession
	// Info describes the loop; every report carries it.
	Info TrainHostInfo

	clock      func() time.Time
	lastReport time.Time
	news       bool // a command was handled since the last report
	dirty      bool // Work worked since the last report
}

// NewTrainHost returns a host of a session with the default settings.
func NewTrainHost(d *TrainData, info TrainHostInfo, clock func() time.Time) (*TrainHost, error) {
	if clock == nil {
		clock = time.Now
	}
	s, err := NewTrainSession(d, DefaultTrainSettings(), clock)
	if err != nil {
		return nil, err
	}
	return &TrainHost{Session: s, Info: info, clock: clock}, nil
}

// Receive decodes a TrainCommand from JSON and carries it out. A message
// that is not a command, or a command refused, becomes a message of the
// next report.
func (h *TrainHost) Receive(msg []byte) {
	h.news = true
	var c TrainCommand
	if err := json.Unmarshal(msg, &c); err != nil {
		var op struct {
			Op string `json:"op"`
		}
		if json.Unmarshal(msg, &op) == nil && op.Op == TrainOpRestore {
			h.Session.restores++ // refused: the page waits for the answer
			h.Session.say("your saved weights were not restored: they could not be read: %v", err)
			return
		}
		h.Session.say("training: a command could not be read: %v", err)
		return
	}
	_ = h.Session.Do(c) // a refusal is reported by the session
}

// Work runs the session for about budget (see TrainSession.Run) and
// reports whether work remains.
func (h *TrainHost) Work(budget time.Duration) bool {
	if !h.Session.Busy() {
		return false
	}
	h.dirty = true
	return h.Session.Run(budget)
}

// Report returns the next report as JSON when one is due, else nil: after
// a command (at most every trainAckEvery), or after work (at most every
// TrainReportEvery). With flush the pacing is skipped (a loop that is about
// to idle flushes, so the last state is never held back); with nothing new
// there is no report.
func (h *TrainHost) Report(flush bool) []byte {
	if !h.news && !h.dirty {
		return nil
	}
	since := h.clock().Sub(h.lastReport)
	if !flush && !(h.news && since >= trainAckEvery) && since < TrainReportEvery {
		return nil
	}
	r := h.Session.Report()
	info := h.Info
	r.Host = &info
	h.news, h.dirty, h.lastReport = false, false, h.clock()
	b, err := json.Marshal(r)
	if err != nil {
		// Every field is plain data; NaN and infinities travel as Float32s
		// or strings. A failure here is a programmer error.
		panic(fmt.Sprintf("training: a report does not encode as JSON: %v", err))
	}
	return b
}

// LocalTrainLink runs a session inside the caller's own thread: in native
// tests, and in the page when Web Workers are unavailable (training then
// takes Poll's budget out of every frame). Commands and reports go through
// JSON as they do to and from a worker.
type LocalTrainLink struct {
	host *TrainHost
}

// NewLocalTrainLink returns a link to a new session with the default
// settings; clock is nil for time.Now.
func NewLocalTrainLink(d *TrainData, clock func() time.Time) (*LocalTrainLink, error) {
	h, err := NewTrainHost(d, TrainHostInfo{Where: "page"}, clock)
	if err != nil {
		return nil, err
	}
	return &LocalTrainLink{host: h}, nil
}

// Send carries the command out at once.
func (l *LocalTrainLink) Send(c TrainCommand) {
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("training: a command does not encode as JSON: %v", err))
	}
	l.host.Receive(b)
}

// Poll works for budget and appends the report that is due, if any.
func (l *LocalTrainLink) Poll(budget time.Duration, dst []*TrainReport) []*TrainReport {
	busy := l.host.Work(budget)
	b := l.host.Report(!busy)
	if b == nil {
		return dst
	}
	r := new(TrainReport)
	if err := json.Unmarshal(b, r); err != nil {
		panic(fmt.Sprintf("training: a report does not decode: %v", err))
	}
	return append(dst, r)
}

// Where returns "page".
func (l *LocalTrainLink) Where() string { return l.host.Info.Where }

// Host returns the link's host (and, through it, the session), for tests.
func (l *LocalTrainLink) Host() *TrainHost { return l.host }

// TrainBenchResult is what the page's training benchmark
// (window.convlab.trainBench) resolves with, as JSON: where the session ran
// ("worker" or "page"), how long the first report took, the examples
// trained in the measured Seconds and their rate by the clock, the
// session's own rate, the conv net's test accuracy at the end, when it
// first reached 95% (−1 if never, in seconds from the start), and the
// host's slice and yield (see TrainHost).
type TrainBenchResult struct {
	Where             string  `json:"where"`
	StartSeconds      float64 `json:"startSeconds"`
	Seconds           float64 `json:"seconds"`
	Examples          int     `json:"examples"`
	ExamplesPerSecond float64 `json:"examplesPerSecond"`
	SessionRate       float64 `json:"sessionRate"`
	TestAccuracy      float64 `json:"testAccuracy"`
	First95           float64 `json:"first95"`
	SliceMs           float64 `json:"sliceMs"`
	YieldMicros       float64 `json:"yieldMicros"`
}
