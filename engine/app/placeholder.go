package app

import (
	"image"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// Placeholder is a lesson still to be built: it says what it will teach and
// has no steps, so the deck keys move straight past it.
type Placeholder struct {
	info lesson.Info
	r    image.Rectangle
}

// NewPlaceholder returns a placeholder screen for the lesson described by in.
func NewPlaceholder(in lesson.Info) *Placeholder { return &Placeholder{info: in} }

// Info describes the lesson.
func (p *Placeholder) Info() lesson.Info { return p.info }

// Layout records the rectangle to draw in.
func (p *Placeholder) Layout(r image.Rectangle) { p.r = r }

// Rect returns the rectangle the placeholder draws in.
func (p *Placeholder) Rect() image.Rectangle { return p.r }

// Widgets adds nothing: a placeholder has no controls.
func (p *Placeholder) Widgets(dst []ui.Widget) []ui.Widget { return dst }

// Handle uses no events.
func (p *Placeholder) Handle(ui.Event, *ui.Announcer) bool { return false }

// Tick does nothing.
func (p *Placeholder) Tick(float64) {}

// Animating reports false: a placeholder changes only when it is shown.
func (p *Placeholder) Animating() bool { return false }

// Next reports false: a placeholder has no steps.
func (p *Placeholder) Next(*ui.Announcer) bool { return false }

// Prev reports false: a placeholder has no steps.
func (p *Placeholder) Prev(*ui.Announcer) bool { return false }

// State reports what the lesson will teach.
func (p *Placeholder) State() any {
	return struct {
		Placeholder bool   `json:"placeholder"`
		Slides      string `json:"slides"`
		Teaches     string `json:"teaches"`
	}{true, p.info.Slides, p.info.Teaches}
}
