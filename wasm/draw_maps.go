//go:build js && wasm

package main

import (
	"image/color"

	"convlab/engine/app"
)

// drawMapsScreen draws the activation-maps lesson: its marks, in order, as
// the screen listed them. Every picture is uploaded only when its version
// changes.
func drawMapsScreen(p *painter, s *app.MapsScreen) {
	for i := range s.Marks() {
		mk := &s.Marks()[i]
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

// mapsColour returns a mark's colour.
func mapsColour(mk *app.MapsMark) color.Color {
	switch mk.Ink {
	case app.MapsInkMuted:
		return colMuted
	case app.MapsInkAccent:
		return colAccent
	case app.MapsInkWindow:
		return colWindow
	case app.MapsInkError:
		return colError
	case app.MapsInkGood:
		return colGood
	case app.MapsInkPanel:
		return colPanel
	case app.MapsInkLine:
		return colLine
	case app.MapsCustom:
		return mk.Colour
	}
	return colText
}
