//go:build js && wasm

package main

import "convlab/engine/app"

// wireTraining hands the training lesson, while it shows, the page's
// frame rate and message line: it applies the session's reports in its
// Tick and says their news between events.
func (g *game) wireTraining() {
	if s, ok := g.app.Current().(*app.TrainingScreen); ok {
		s.SetAnnouncer(g.app.Announcer())
		s.SetFPS(g.fps.fps)
	}
}
