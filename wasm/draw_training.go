//go:build js && wasm

package main

import "convlab/engine/app"

// drawTrainingScreen draws the training lesson.
func drawTrainingScreen(p *painter, s *app.TrainingScreen) {
	drawPlaceholder(p, &s.Placeholder, 3)
}
