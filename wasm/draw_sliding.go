//go:build js && wasm

package main

import "convlab/engine/app"

// drawSlidingScreen draws the sliding-filter lesson.
func drawSlidingScreen(p *painter, s *app.SlidingScreen) {
	drawPlaceholder(p, &s.Placeholder, 1)
}
