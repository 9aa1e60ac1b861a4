//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"runtime"
	"syscall/js"

	"convlab/wasm/benchwasm/refbench"
)

// run installs convlabBench and blocks; the page calls in.
func run() {
	var s *refbench.Session
	api := js.Global().Get("Object").New()
	api.Set("start", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 2 {
			return "start(digits, seed) takes two arguments"
		}
		buf := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(buf, args[0])
		var err error
		if s, err = refbench.NewSession(buf, int64(args[1].Int())); err != nil {
			return err.Error()
		}
		return ""
	}))
	api.Set("train", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if s == nil {
			return reply(nil, errors.New("call start(digits, seed) first"))
		}
		if len(args) != 1 {
			return reply(nil, errors.New("train(examples) takes one argument"))
		}
		r, err := s.Train(args[0].Int())
		return reply(r, err)
	}))
	api.Set("accuracy", js.FuncOf(func(js.Value, []js.Value) any {
		if s == nil {
			return reply(nil, errors.New("call start(digits, seed) first"))
		}
		a, err := s.Accuracy()
		return reply(map[string]float64{"accuracy": a}, err)
	}))
	api.Set("version", js.FuncOf(func(js.Value, []js.Value) any { return runtime.Version() }))
	js.Global().Set("convlabBench", api)
	select {}
}

// reply encodes v as JSON, or the error as {"error": "..."}.
func reply(v any, err error) string {
	if err != nil {
		v = map[string]string{"error": err.Error()}
	}
	b, jerr := json.Marshal(v)
	if jerr != nil {
		return `{"error": "cannot encode the reply"}`
	}
	return string(b)
}
