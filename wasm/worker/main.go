//go:build js && wasm

package main

import (
	"sync"
	"syscall/js"
	"time"

	"convlab/engine/lesson"
)

// The worker's messages. From the page, in order:
//
//	{type: "boot", wasm: ArrayBuffer}        read by web/worker.js, which starts this program
//	{type: "data", mnist: Uint8Array,        the MNIST asset and the pretrained weights files;
//	 pretrained: {mnist: Uint8Array, ...}}   the session starts with the default settings
//	{type: "cmd", json: string}              a lesson.TrainCommand, any number
//
// To the page:
//
//	{type: "ready"}                          the session is up
//	{type: "report", json: string}           a lesson.TrainReport
//	{type: "error", message: string}         the session cannot start (the page falls back)
//	{type: "exit"}                           the program stopped (web/worker.js)

// slice is the time the worker trains between two yields to its event loop.
const slice = 40 * time.Millisecond

func main() {
	in := newInbox()
	self := js.Global()
	receive := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) == 1 {
			in.put(args[0])
		}
		return nil
	})
	self.Set("convlabWorkerReceive", receive)
	if ready := self.Get("convlabWorkerReady"); ready.Type() == js.TypeFunction {
		early := ready.Invoke()
		for i := 0; i < early.Length(); i++ {
			in.put(early.Index(i))
		}
	}
	y := newYielder()
	var host *lesson.TrainHost
	var waiting [][]byte // commands that came before the data
	for {
		for _, m := range in.take() {
			switch m.Get("type").String() {
			case "data":
				if host != nil {
					continue
				}
				h, err := start(m)
				if err != nil {
					post(map[string]any{"type": "error", "message": err.Error()})
					continue
				}
				host = h
				post(map[string]any{"type": "ready"})
				for _, c := range waiting {
					host.Receive(c)
				}
				waiting = nil
			case "cmd":
				c := []byte(m.Get("json").String())
				if host == nil {
					waiting = append(waiting, c)
				} else {
					host.Receive(c)
				}
			}
		}
		if host == nil {
			in.wait()
			continue
		}
		busy := host.Work(slice)
		host.Info.YieldMicros = y.mean
		if b := host.Report(!busy); b != nil {
			post(map[string]any{"type": "report", "json": string(b)})
		}
		if busy {
			y.yield()
		} else {
			in.wait()
		}
	}
}

// start makes the session from the data message.
func start(m js.Value) (*lesson.TrainHost, error) {
	pretrained := map[string][]byte{}
	if p := m.Get("pretrained"); p.Type() == js.TypeObject {
		for _, name := range []string{lesson.TrainMNIST, lesson.TrainColour} {
			if b := p.Get(name); b.Type() == js.TypeObject {
				pretrained[name] = bytesOf(b)
			}
		}
	}
	d, err := lesson.NewTrainData(bytesOf(m.Get("mnist")), pretrained)
	if err != nil {
		return nil, err
	}
	return lesson.NewTrainHost(d, lesson.TrainHostInfo{Where: "worker", SliceMs: float64(slice) / float64(time.Millisecond)}, time.Now)
}

// bytesOf copies a Uint8Array into Go.
func bytesOf(v js.Value) []byte {
	if v.Type() != js.TypeObject {
		return nil
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

// post sends a message to the page.
func post(m map[string]any) { js.Global().Call("postMessage", m) }

// inbox holds the messages that arrived from the page. They are put by a
// callback from the event loop and taken by the main loop.
type inbox struct {
	mu   sync.Mutex
	msgs []js.Value
	wake chan struct{} // holds a token while msgs may be non-empty
}

func newInbox() *inbox { return &inbox{wake: make(chan struct{}, 1)} }

func (in *inbox) put(v js.Value) {
	in.mu.Lock()
	in.msgs = append(in.msgs, v)
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

func (in *inbox) take() []js.Value {
	in.mu.Lock()
	defer in.mu.Unlock()
	m := in.msgs
	in.msgs = nil
	return m
}

// wait blocks until a message may have arrived, letting the event loop run.
func (in *inbox) wait() { <-in.wake }

// yielder lets the worker's event loop run between two slices of training,
// so that commands from the page arrive while it trains. Blocking the only
// goroutine hands control back to JavaScript; a message posted to itself
// through a MessageChannel wakes it up at once, where time.Sleep's
// setTimeout would be clamped to several milliseconds.
type yielder struct {
	port js.Value // port2 of the channel; port1 wakes the worker
	woke chan struct{}
	mean float64 // mean yield in microseconds, smoothed over about 20 yields
}

func newYielder() *yielder {
	y := &yielder{woke: make(chan struct{}, 1)}
	ch := js.Global().Get("MessageChannel").New()
	ch.Get("port1").Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		select {
		case y.woke <- struct{}{}:
		default:
		}
		return nil
	}))
	y.port = ch.Get("port2")
	return y
}

func (y *yielder) yield() {
	start := time.Now()
	y.port.Call("postMessage", nil)
	<-y.woke
	us := float64(time.Since(start)) / float64(time.Microsecond)
	if y.mean == 0 {
		y.mean = us
	}
	y.mean += (us - y.mean) / 20
}
