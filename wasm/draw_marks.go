//go:build js && wasm

package main

import (
	"image/color"

	"convlab/engine/app"
)

// drawMarks draws a screen's display list (see app.Mark) in order:
// fills, outlines, lines, one-line texts and pictures, computing nothing.
// Every picture is uploaded only when its version changes.
func drawMarks(p *painter, marks []app.Mark) {
	for i := range marks {
		mk := &marks[i]
		switch mk.Kind {
		case app.FillMark:
			p.fill(mk.Rect, inkColour(mk))
		case app.StrokeMark:
			p.stroke(mk.Rect, mk.Width, inkColour(mk))
		case app.LineMark:
			p.line(float64(mk.Rect.Min.X), float64(mk.Rect.Min.Y), float64(mk.Rect.Max.X), float64(mk.Rect.Max.Y), mk.Width, inkColour(mk))
		case app.PictureMark:
			p.picture(mk.Pic.Key, mk.Pic.Version, mk.Pic.Img, mk.Rect)
		case app.TextMark:
			r := mk.Rect
			y := float64(r.Min.Y+r.Max.Y)/2 - mk.Size*0.6
			x, a := float64(r.Min.X), left
			switch mk.Align {
			case app.AlignCenter:
				x, a = float64(r.Min.X+r.Max.X)/2, center
			case app.AlignRight:
				x, a = float64(r.Max.X), right
			}
			p.text(mk.Text, x, y, mk.Size, fontStyle(mk.Font), inkColour(mk), a)
		}
	}
}

// inkColour returns a mark's colour.
func inkColour(mk *app.Mark) color.Color {
	switch mk.Ink {
	case app.InkMuted:
		return colMuted
	case app.InkAccent:
		return colAccent
	case app.InkWindow:
		return colWindow
	case app.InkWindowBg:
		return colWindowBg
	case app.InkError:
		return colError
	case app.InkGood:
		return colGood
	case app.InkPanel:
		return colPanel
	case app.InkLine:
		return colLine
	case app.InkGrid:
		return colGrid
	case app.InkCustom:
		return mk.Colour
	}
	return colText
}
