//go:build js && wasm

package main

import (
	"encoding/json"
	"sync"
	"syscall/js"
	"time"

	"convlab/assets"
	"convlab/engine/lesson"
)

// trainLink is the page's side of the training lesson's session
// (lesson.TrainLink): it starts the training worker (wasm/worker) at the
// first command, through window.convlabStartWorker (web/loader.js), sends
// it the data and every command, and queues its reports until the next
// Poll, so none is lost. If the worker cannot start or fails, the session
// moves into the page (lesson.LocalTrainLink, training inside each frame's
// budget), replaying the settings, choices and play state sent so far.
type trainLink struct {
	mnist      []byte            // the MNIST asset
	pretrained map[string][]byte // pretrained weights files by data set
	wake       func()            // asks the page for a frame to take what arrived

	mu      sync.Mutex
	where   string   // "idle" before the first command, then "starting", "worker" or "page"
	queue   []string // reports from the worker as JSON, oldest first
	failure string   // why the worker failed, until the page takes over
	notes   []string // messages for the next report

	port   js.Value  // the worker's port from convlabStartWorker
	funcs  []js.Func // callbacks to release when the worker is dropped
	replay replay
	local  *lesson.LocalTrainLink
}

// trainQueueMerge is the queue length at which queued reports are merged
// into one, so a page that does not draw for a while (a hidden tab) does
// not pile them up.
const trainQueueMerge = 64

// replay remembers what a session in the page would need to take over:
// the last settings, the restored weights, the test image, drawing and
// play state.
type replay struct {
	settings, restore, testImage, predict, play *lesson.TrainCommand
}

func (r *replay) remember(c lesson.TrainCommand) {
	switch c.Op {
	case lesson.TrainOpSettings:
		r.settings = &c
	case lesson.TrainOpRestore:
		r.restore = &c
	case lesson.TrainOpTestImage:
		r.testImage = &c
	case lesson.TrainOpPredict:
		r.predict = &c
	case lesson.TrainOpPlay, lesson.TrainOpPause, lesson.TrainOpStep, lesson.TrainOpReset:
		r.play = &c
		if c.Op == lesson.TrainOpReset {
			r.restore = nil // the restored weights are gone
		}
		if c.Op != lesson.TrainOpPlay {
			r.play = &lesson.TrainCommand{Op: lesson.TrainOpPause}
		}
	}
}

func (r *replay) commands() []lesson.TrainCommand {
	var out []lesson.TrainCommand
	for _, c := range []*lesson.TrainCommand{r.settings, r.restore, r.testImage, r.predict, r.play} {
		if c != nil {
			out = append(out, *c)
		}
	}
	return out
}

// newTrainLink returns the page's link to the training session; nothing
// starts until the first Send. wake is called, from the browser's event
// loop, whenever something arrives from the worker.
func newTrainLink(wake func()) *trainLink {
	return &trainLink{
		wake:  wake,
		mnist: []byte(assets.MNIST),
		pretrained: map[string][]byte{
			lesson.TrainMNIST:  []byte(assets.PretrainedMNIST),
			lesson.TrainColour: []byte(assets.PretrainedColour),
		},
		where: "idle",
	}
}

// Where says where the session runs: "idle", "starting", "worker" or "page".
func (l *trainLink) Where() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.where
}

// Send passes the command to the session, starting it first if need be.
func (l *trainLink) Send(c lesson.TrainCommand) {
	l.mu.Lock()
	where := l.where
	l.replay.remember(c)
	l.mu.Unlock()
	switch where {
	case "idle":
		l.start()
		l.Send(c)
		return
	case "page":
		l.takeOver().Send(c)
		return
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic("training: a command does not encode as JSON: " + err.Error())
	}
	l.port.Call("post", map[string]any{"type": "cmd", "json": string(b)})
}

// start asks the page for the worker and sends it the data; without
// convlabStartWorker the session starts in the page.
func (l *trainLink) start() {
	startWorker := js.Global().Get("convlabStartWorker")
	if startWorker.Type() != js.TypeFunction {
		l.fail("this page cannot start the training worker")
		return
	}
	onMessage := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) == 1 {
			l.received(args[0])
		}
		return nil
	})
	onError := js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "the training worker failed"
		if len(args) == 1 && args[0].Type() == js.TypeString {
			msg = args[0].String()
		}
		l.fail(msg)
		return nil
	})
	l.mu.Lock()
	l.where, l.funcs = "starting", []js.Func{onMessage, onError}
	l.mu.Unlock()
	l.port = startWorker.Invoke(onMessage, onError)
	mnist := uint8Array(l.mnist)
	pre := js.Global().Get("Object").New()
	transfer := []any{mnist.Get("buffer")}
	for name, b := range l.pretrained {
		a := uint8Array(b)
		pre.Set(name, a)
		transfer = append(transfer, a.Get("buffer"))
	}
	l.port.Call("post", map[string]any{"type": "data", "mnist": mnist, "pretrained": pre}, transfer)
}

// uint8Array copies b into a new Uint8Array.
func uint8Array(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

// received handles a message from the worker (called from the event loop:
// it only queues).
func (l *trainLink) received(m js.Value) {
	if m.Type() != js.TypeObject {
		return
	}
	switch m.Get("type").String() {
	case "ready":
		l.mu.Lock()
		if l.where == "starting" {
			l.where = "worker"
		}
		l.mu.Unlock()
	case "report":
		s := m.Get("json").String()
		l.mu.Lock()
		l.queue = append(l.queue, s)
		if len(l.queue) >= trainQueueMerge {
			l.queue = []string{mergeReports(l.queue)}
		}
		l.mu.Unlock()
	case "error":
		l.fail(m.Get("message").String())
	case "exit":
		l.fail("the training worker stopped")
	}
	l.wake()
}

// mergeReports merges reports given as JSON, in order, into one.
func mergeReports(queue []string) string {
	var merged lesson.TrainReport
	for _, s := range queue {
		var r lesson.TrainReport
		if json.Unmarshal([]byte(s), &r) == nil {
			merged.Merge(&r)
		}
	}
	b, err := json.Marshal(&merged)
	if err != nil {
		panic("training: merged reports do not encode as JSON: " + err.Error())
	}
	return string(b)
}

// fail notes that the worker is gone; the next Send or Poll moves the
// session into the page.
func (l *trainLink) fail(why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.where == "page" {
		return
	}
	l.where, l.failure = "page", why
}

// takeOver returns the session in the page, making it (and replaying the
// remembered commands into it) the first time.
func (l *trainLink) takeOver() *lesson.LocalTrainLink {
	if l.local != nil {
		return l.local
	}
	if l.port.Type() == js.TypeObject {
		l.port.Call("stop")
	}
	for _, f := range l.funcs {
		f.Release()
	}
	l.funcs = nil
	l.mu.Lock()
	why := l.failure
	cmds := l.replay.commands()
	l.queue = nil
	l.mu.Unlock()
	d, err := lesson.NewTrainData(l.mnist, l.pretrained)
	if err == nil {
		l.local, err = lesson.NewLocalTrainLink(d, time.Now)
	}
	if err != nil {
		panic("training: the shipped data does not load: " + err.Error()) // a broken build
	}
	if why != "" {
		l.notes = append(l.notes, "Training runs inside the page ("+why+"): the page may stutter while it trains.")
	}
	for _, c := range cmds {
		l.local.Send(c)
	}
	return l.local
}

// pending reports whether reports wait for the next Poll.
func (l *trainLink) pending() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue) > 0
}

// Poll appends the reports that arrived since the last Poll, merged when
// there were many. A session in the page trains for budget first.
func (l *trainLink) Poll(budget time.Duration, dst []*lesson.TrainReport) []*lesson.TrainReport {
	l.mu.Lock()
	where := l.where
	queue := l.queue
	l.queue = nil
	l.mu.Unlock()
	start := len(dst)
	for _, s := range queue {
		r := new(lesson.TrainReport)
		if err := json.Unmarshal([]byte(s), r); err == nil {
			dst = append(dst, r)
		}
	}
	if where == "page" {
		dst = l.takeOver().Poll(budget, dst)
	}
	if len(l.notes) > 0 && len(dst) > start {
		dst[start].Messages = append(l.notes, dst[start].Messages...)
		l.notes = nil
	}
	return dst
}

// close stops the worker and forgets the session.
func (l *trainLink) close() {
	if l.port.Type() == js.TypeObject {
		l.port.Call("stop")
	}
	for _, f := range l.funcs {
		f.Release()
	}
	l.mu.Lock()
	l.funcs, l.queue, l.where, l.local = nil, nil, "idle", nil
	l.mu.Unlock()
}
