//go:build js && wasm

package main

import (
	"sync"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// The page runs a frame (Update, then Draw) only when something may have
// changed: an event from the page's controls (web/ui.js wakes it), a
// report from the training worker, a lesson that animates, a tooltip or a
// save that is due, or a lesson's own pace (app.Pacer). Between them the
// browser shows the last picture and the page costs nothing.
//
// Why not a frame at every display refresh: Ebitengine presents the
// picture again in the three frames that follow a new one even when they
// draw nothing, and in software GL (headless Chromium, or a machine
// without a GPU) each present costs the GPU process about 66 ms of a core,
// time the training worker needs. Measured in headless Chromium, training
// with one picture a second: the page idle between pictures left the GPU
// process 58% of a core and the worker 83%.
//
// ebiten.FPSModeVsyncOffMinimum and ebiten.ScheduleFrame are marked
// deprecated in favour of SetScreenClearedEveryFrame(false), which this
// page also uses; it saves the drawing, not the presents.

// frames asks Ebitengine for frames: at the next display refresh, or
// after a wait. Its methods may be called from any goroutine.
type frames struct {
	mu    sync.Mutex
	timer *time.Timer
	at    time.Time // when timer fires; zero when no timer is set
}

// startFrames puts Ebitengine in the mode where frames run only when asked
// for, and gives web/ui.js window.convlabWake to ask for one when it
// queues an event.
func startFrames() *frames {
	f := &frames{}
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	js.Global().Set("convlabWake", js.FuncOf(func(js.Value, []js.Value) any {
		f.now()
		return nil
	}))
	return f
}

// now asks for a frame at the next display refresh.
func (f *frames) now() {
	ebiten.ScheduleFrame()
}

// after asks for a frame d from now, unless one is due sooner; d <= 0 is
// now.
func (f *frames) after(d time.Duration) {
	if d <= 0 {
		f.now()
		return
	}
	at := time.Now().Add(d)
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.at.IsZero() && !f.at.After(at) {
		return
	}
	if f.timer != nil {
		f.timer.Stop()
	}
	f.at = at
	f.timer = time.AfterFunc(d, func() {
		f.mu.Lock()
		f.at = time.Time{}
		f.mu.Unlock()
		f.now()
	})
}

// cancel drops a frame asked for with after: a frame is running, and it
// asks again for what it still needs.
func (f *frames) cancel() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	f.at = time.Time{}
}

// seconds turns a wait in seconds into a duration.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
