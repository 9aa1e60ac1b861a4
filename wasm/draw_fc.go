//go:build js && wasm

package main

import "convlab/engine/app"

// drawFCScreen draws the fully-connected-vs-convolution lesson from its
// display list.
func drawFCScreen(p *painter, s *app.FCScreen) { drawMarks(p, s.Marks()) }
