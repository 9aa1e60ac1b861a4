//go:build js && wasm

package main

import "convlab/engine/app"

// drawBeyondScreen draws lesson 5 from its display list.
func drawBeyondScreen(p *painter, s *app.BeyondScreen) { drawMarks(p, s.Marks()) }
