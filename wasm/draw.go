//go:build js && wasm

package main

import (
	"image"
	"strconv"

	"convlab/engine/app"
	"convlab/engine/ui"
)

// drawApp draws the lesson bar, the current lesson and the message line
// (web/ui.js draws the tooltip, above the controls).
func drawApp(p *painter, a *app.App) {
	f := a.Frame()
	full := image.Rect(-int(f.OffX/f.Scale)-1, 0, f.W+int(f.OffX/f.Scale)+1, app.BarHeight)
	p.fill(full, colBar)

	switch s := a.Current().(type) {
	case *app.Placeholder:
		drawPlaceholder(p, s, a.Index())
	case *app.FCScreen:
		drawFCScreen(p, s)
	case *app.SlidingScreen:
		drawSlidingScreen(p, s)
	case *app.MapsScreen:
		drawMapsScreen(p, s)
	case *app.TrainingScreen:
		drawTrainingScreen(p, s)
	case *app.BeyondScreen:
		drawBeyondScreen(p, s)
	}
	drawStatus(p, a)
}

// drawStatus writes the latest message along the bottom of the page.
func drawStatus(p *painter, a *app.App) {
	msg, _ := a.Announcer().Last()
	if msg == "" {
		return
	}
	c := a.Content()
	lines := p.wrap(msg, float64(c.Dx()), ui.SmallText, regular)
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] += " …"
	}
	y := float64(c.Max.Y) - ui.SmallText*1.3*float64(len(lines))
	for _, l := range lines {
		p.text(l, float64(c.Min.X), y, ui.SmallText, regular, colMuted, left)
		y += ui.SmallText * 1.3
	}
}

func drawPlaceholder(p *painter, s *app.Placeholder, index int) {
	r := s.Rect()
	in := s.Info()
	p.fill(r, colPanel)
	x, y := float64(r.Min.X+4*ui.U), float64(r.Min.Y+4*ui.U)
	w := float64(r.Dx() - 8*ui.U)
	p.text("Lesson "+strconv.Itoa(index+1)+" · slides "+in.Slides, x, y, ui.SmallText, regular, colMuted, left)
	y += 4 * ui.U
	p.text(in.Title, x, y, 5*ui.U, bold, colText, left)
	y += 8 * ui.U
	y = p.paragraph(in.Teaches, x, y, w*0.75, ui.TextSize*1.2, regular, colText)
	y += 3 * ui.U
	p.text("This lesson is on its way. Use the lesson bar, the number keys, or → / PageDown to move on.",
		x, y, ui.TextSize, regular, colMuted, left)
}
