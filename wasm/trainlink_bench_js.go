//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"syscall/js"
	"time"

	"convlab/engine/lesson"
)

// init adds window.convlab.trainBench(seconds[, settings]), the training
// benchmark: it trains a session of its own, through a link of its own
// (in the worker unless that fails), from a fresh start for the given
// time after training began (20 s if not given) with the given lesson.TrainSettings (as JSON;
// the defaults if not given), while the page goes on drawing whatever it
// shows, then stops it and resolves with JSON:
//
//	where             "worker" or "page"
//	startSeconds      from the call to the first report of training (the worker's start-up)
//	seconds           from that report to the last
//	examples          minibatch examples trained between them
//	examplesPerSecond examples / seconds, by the page's clock
//	sessionRate       the session's own last examples-per-second figure
//	testAccuracy      the conv net's rolling test accuracy at the end
//	first95           seconds from the call to the first report with a rolling test accuracy of at least 0.95 (−1: never)
//	sliceMs, yieldMicros  the worker's training slice and the mean cost of a yield to its event loop
func init() {
	api := js.Global().Get("convlab")
	if api.Type() != js.TypeObject {
		return
	}
	api.Set("trainBench", js.FuncOf(func(this js.Value, args []js.Value) any {
		seconds := 20.0
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			seconds = args[0].Float()
		}
		var settings *lesson.TrainSettings
		if len(args) > 1 && args[1].Type() == js.TypeString {
			settings = new(lesson.TrainSettings)
			if err := json.Unmarshal([]byte(args[1].String()), settings); err != nil {
				return rejected("trainBench: the settings are not TrainSettings JSON: " + err.Error())
			}
		}
		return promise(func() (string, error) { return trainBench(time.Duration(seconds*float64(time.Second)), settings) })
	}))
}

func trainBench(d time.Duration, settings *lesson.TrainSettings) (string, error) {
	link := newTrainLink(func() {}) // this loop polls the link itself
	defer link.close()
	if settings != nil {
		link.Send(lesson.TrainCommand{Op: lesson.TrainOpSettings, Settings: settings})
	}
	link.Send(lesson.TrainCommand{Op: lesson.TrainOpPlay})
	var view lesson.TrainView
	res := lesson.TrainBenchResult{First95: -1}
	start := time.Now()
	var t0, t1 time.Time
	n0 := 0
	for t0.IsZero() && time.Since(start) < time.Minute || !t0.IsZero() && time.Since(t0) < d {
		time.Sleep(50 * time.Millisecond)
		for _, r := range link.Poll(8*time.Millisecond, nil) {
			view.Apply(r)
			now := time.Now()
			if r.Running && r.Examples > 0 {
				if t0.IsZero() {
					t0, n0 = now, r.Examples
				}
				t1, res.Examples = now, r.Examples-n0
			}
			if conv, ok := view.Model(lesson.TrainConv); ok && conv.TestAccuracy >= 0.95 && res.First95 < 0 {
				res.First95 = now.Sub(start).Seconds()
			}
		}
	}
	if t0.IsZero() {
		return "", errors.New("trainBench: no training report came")
	}
	res.Where = link.Where()
	res.StartSeconds = t0.Sub(start).Seconds()
	res.Seconds = t1.Sub(t0).Seconds()
	if res.Seconds > 0 {
		res.ExamplesPerSecond = float64(res.Examples) / res.Seconds
	}
	res.SessionRate = view.ExamplesPerSecond
	if conv, ok := view.Model(lesson.TrainConv); ok {
		res.TestAccuracy = conv.TestAccuracy
	}
	if view.Host != nil {
		res.SliceMs, res.YieldMicros = view.Host.SliceMs, view.Host.YieldMicros
	}
	b, err := json.Marshal(res)
	return string(b), err
}

// promise runs work on its own goroutine and returns a Promise of its result.
func promise(work func() (string, error)) js.Value {
	var fn js.Func
	fn = js.FuncOf(func(this js.Value, args []js.Value) any {
		resolve, reject := args[0], args[1]
		go func() {
			defer fn.Release()
			out, err := work()
			if err != nil {
				reject.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(out)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(fn)
}

// rejected returns a Promise rejected with msg.
func rejected(msg string) js.Value {
	return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(msg))
}
