//go:build js && wasm

package main

import "convlab/engine/app"

// drawFCScreen draws the fully-connected-vs-convolution lesson: its marks,
// in order, as the screen listed them. Every picture is uploaded only when
// its version changes.
func drawFCScreen(p *painter, s *app.FCScreen) { drawMarks(p, s.Marks()) }

// drawMarks draws a display list of fills, outlines, one-line texts and
// pictures, computing nothing.
func drawMarks(p *painter, marks []app.MapsMark) {
	for i := range marks {
		mk := &marks[i]
		switch mk.Kind {
		case app.MapsFillMark:
			p.fill(mk.Rect, mapsColour(mk))
		case app.MapsStrokeMark:
			p.stroke(mk.Rect, mk.Width, mapsColour(mk))
		case app.MapsPictureMark:
			p.picture(mk.Pic.Key, mk.Pic.Version, mk.Pic.Img, mk.Rect)
		case app.MapsTextMark:
			r := mk.Rect
			y := float64(r.Min.Y+r.Max.Y)/2 - mk.Size*0.6
			x := float64(r.Min.X)
			a := left
			switch mk.Align {
			case app.MapsCenter:
				x, a = float64(r.Min.X+r.Max.X)/2, center
			case app.MapsRight:
				x, a = float64(r.Max.X), right
			}
			p.text(mk.Text, x, y, mk.Size, fontStyle(mk.Font), mapsColour(mk), a)
		}
	}
}
