//go:build js && wasm

package main

import (
	"encoding/json"
	"math"
	"syscall/js"

	"convlab/engine/ui"
)

// rawEvent is an event as web/ui.js queues it.
type rawEvent struct {
	T     string  `json:"t"`  // event type name (ui.EventType.String)
	N     string  `json:"n"`  // target widget name
	X     float64 `json:"x"`  // pointer x in CSS px relative to the widget
	Y     float64 `json:"y"`  // pointer y
	DY    float64 `json:"dy"` // wheel deltaY
	DM    int     `json:"dm"` // wheel deltaMode
	V     float64 `json:"v"`  // slider value; a file's size in bytes
	Tx    string  `json:"tx"` // field text; a file's name
	K     string  `json:"k"`  // key name
	Shift bool    `json:"sh"`
	ID    int     `json:"id"` // a file's bytes, for convlabUI.takeFile; 0 when the page did not read it
}

func (r rawEvent) event() (ui.Event, bool) {
	t, ok := ui.ParseEventType(r.T)
	if !ok {
		return ui.Event{}, false
	}
	ev := ui.Event{Type: t, Target: r.N, X: r.X, Y: r.Y, Value: r.V, Text: r.Tx, Key: r.K, Shift: r.Shift}
	if t == ui.Wheel {
		ev.Delta = ui.WheelNotches(r.DY, r.DM)
		if ev.Delta == 0 {
			return ui.Event{}, false
		}
	}
	if t == ui.FileChosen && r.ID > 0 {
		ev.Data = takeFile(r.ID)
	}
	return ev, true
}

// takeFile copies the bytes of a file the page read (web/ui.js keeps them
// under id until taken) into Go, or returns nil if there are none.
func takeFile(id int) []byte {
	b := js.Global().Get("convlabUI").Call("takeFile", id)
	if b.IsNull() || b.IsUndefined() {
		return nil
	}
	data := make([]byte, b.Get("length").Int())
	js.CopyBytesToGo(data, b)
	return data
}

// widgetJSON is a widget as web/ui.js places it, in CSS pixels.
type widgetJSON struct {
	N   string  `json:"n"`
	K   string  `json:"k"`
	X   float64 `json:"x"`
	Y   float64 `json:"y"`
	W   float64 `json:"w"`
	H   float64 `json:"h"`
	L   string  `json:"l,omitempty"`
	T   string  `json:"t,omitempty"`
	G   string  `json:"g,omitempty"`
	On  bool    `json:"on,omitempty"`
	Dis bool    `json:"dis,omitempty"`
	Ed  bool    `json:"ed,omitempty"`
	Tx  string  `json:"tx,omitempty"`
	V   float64 `json:"v,omitempty"`
	Min float64 `json:"min,omitempty"`
	Max float64 `json:"max,omitempty"`
	St  float64 `json:"st,omitempty"`
	Err bool    `json:"err,omitempty"`
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func widgetsJSON(ws []ui.Widget, f ui.Frame) []byte {
	out := make([]widgetJSON, len(ws))
	for i, w := range ws {
		x, y, wd, h := f.CSS(w.Rect)
		out[i] = widgetJSON{
			N: w.Name, K: w.Kind.String(), X: round2(x), Y: round2(y), W: round2(wd), H: round2(h),
			L: w.Label, T: w.Tooltip, G: w.Group, On: w.On, Dis: w.Disabled, Ed: w.Editable,
			Tx: w.Text, V: w.Value, Min: w.Min, Max: w.Max, St: w.Step, Err: w.Error,
		}
	}
	b, _ := json.Marshal(out)
	return b
}
