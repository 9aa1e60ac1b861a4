package app

import "convlab/engine/lesson"

// SlidingScreen is the sliding-filter lesson as the page shows it.
type SlidingScreen struct {
	Placeholder
}

// NewSlidingScreen returns the sliding-filter lesson's screen.
func NewSlidingScreen() *SlidingScreen {
	return &SlidingScreen{Placeholder: *NewPlaceholder(lesson.Catalog()[1])}
}
