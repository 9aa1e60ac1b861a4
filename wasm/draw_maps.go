//go:build js && wasm

package main

import "convlab/engine/app"

// drawMapsScreen draws the activation-maps lesson.
func drawMapsScreen(p *painter, s *app.MapsScreen) {
	drawPlaceholder(p, &s.Placeholder, 2)
}
