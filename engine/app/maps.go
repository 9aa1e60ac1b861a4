package app

import "convlab/engine/lesson"

// MapsScreen is the activation-maps lesson as the page shows it.
type MapsScreen struct {
	Placeholder
}

// NewMapsScreen returns the activation-maps lesson's screen.
func NewMapsScreen() *MapsScreen {
	return &MapsScreen{Placeholder: *NewPlaceholder(lesson.Catalog()[2])}
}
