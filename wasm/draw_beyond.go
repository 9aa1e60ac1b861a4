//go:build js && wasm

package main

import (
	"image/color"

	"convlab/engine/app"
)

// Colours of lesson 5 beside the page's own.
var (
	colBeyondWindowBg = color.RGBA{0xff, 0xe2, 0xc2, 0xff} // cells a chosen unit depends on
	colBeyondGrid     = color.RGBA{0x9a, 0x9f, 0xa8, 0xff} // grid lines and cell borders
)

// drawBeyondScreen draws lesson 5 from the screen's display list, in order.
// Pictures are uploaded only when their version changes.
func drawBeyondScreen(p *painter, s *app.BeyondScreen) {
	marks := s.Marks()
	for i := range marks {
		mk := &marks[i]
		switch mk.Kind {
		case app.BeyondFill:
			p.fill(mk.Rect, beyondColour(mk))
		case app.BeyondStroke:
			p.stroke(mk.Rect, mk.Width, beyondColour(mk))
		case app.BeyondLine:
			p.line(float64(mk.Rect.Min.X), float64(mk.Rect.Min.Y), float64(mk.Rect.Max.X), float64(mk.Rect.Max.Y), mk.Width, beyondColour(mk))
		case app.BeyondPicture:
			p.picture(mk.Pic.Key, mk.Pic.Version, mk.Pic.Img, mk.Rect)
		case app.BeyondText:
			r := mk.Rect
			y := float64(r.Min.Y+r.Max.Y)/2 - mk.Size*0.6
			x, a := float64(r.Min.X), left
			switch mk.Align {
			case app.BeyondCenter:
				x, a = float64(r.Min.X+r.Max.X)/2, center
			case app.BeyondRight:
				x, a = float64(r.Max.X), right
			}
			p.text(mk.Text, x, y, mk.Size, fontStyle(mk.Font), beyondColour(mk), a)
		}
	}
}

// beyondColour returns a mark's colour.
func beyondColour(mk *app.BeyondMark) color.Color {
	switch mk.Ink {
	case app.BeyondInkMuted:
		return colMuted
	case app.BeyondInkAccent:
		return colAccent
	case app.BeyondInkWindow:
		return colWindow
	case app.BeyondInkWindowBg:
		return colBeyondWindowBg
	case app.BeyondInkError:
		return colError
	case app.BeyondInkGood:
		return colGood
	case app.BeyondInkPanel:
		return colPanel
	case app.BeyondInkLine:
		return colLine
	case app.BeyondInkGrid:
		return colBeyondGrid
	case app.BeyondCustom:
		return mk.Colour
	}
	return colText
}
