//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"
	"time"

	"convlab/engine/app"
)

// exposeAPI fills in window.convlab (created by web/loader.js with its
// ready promise) with the calls the Go side answers: state and conv2d.
// targets() is answered by web/ui.js from the controls on the page.
func exposeAPI(g *game) {
	goSide := js.Global().Get("Object").New()
	goSide.Set("state", js.FuncOf(func(this js.Value, args []js.Value) any {
		s := g.app.State()
		g.fps.count(time.Now())
		b, err := json.Marshal(struct {
			app.State
			FPS      float64 `json:"fps"`      // the display's frames per second
			Pictures float64 `json:"pictures"` // frames per second that drew something new
		}{s, g.page.Call("fps").Float(), g.fps.pictures})
		if err != nil {
			return `{"error":` + quote(err.Error()) + `}`
		}
		return string(b)
	}))
	goSide.Set("conv2d", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) != 1 {
			return `{"error":"conv2d needs its arguments as one JSON string"}`
		}
		out, err := app.Conv2DJSON([]byte(args[0].String()))
		if err != nil {
			return `{"error":` + quote(err.Error()) + `}`
		}
		return string(out)
	}))
	js.Global().Set("convlabGo", goSide)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
