package app

import "convlab/engine/lesson"

// TrainingScreen is the training lesson as the page shows it.
type TrainingScreen struct {
	Placeholder
}

// NewTrainingScreen returns the training lesson's screen.
func NewTrainingScreen() *TrainingScreen {
	return &TrainingScreen{Placeholder: *NewPlaceholder(lesson.Catalog()[3])}
}
