//go:build js && wasm

package main

import "convlab/engine/app"

// drawMapsScreen draws the activation-maps lesson from its display list.
func drawMapsScreen(p *painter, s *app.MapsScreen) { drawMarks(p, s.Marks()) }
