//go:build js && wasm

package main

import (
	"image"
	"image/color"
	"math"

	"convlab/engine/app"
	"convlab/engine/ui"
)

// Colours of the sliding-filter lesson, beside the page's own.
var (
	colPadding    = color.RGBA{0xdc, 0xde, 0xe3, 0xff} // the zero-padding ring
	colPaddingWin = color.RGBA{0xf0, 0xd2, 0xb4, 0xff} // padding under the filter
	colWindowInk  = color.RGBA{0x9a, 0x3f, 0x00, 0xff} // text about the window, dark enough to read
	colFedBg      = color.RGBA{0xd6, 0xe4, 0xff, 0xff} // outputs fed by the clicked input
	colPositive   = color.RGBA{0x8c, 0xc0, 0xf5, 0xff} // shade of the largest positive value
	colNegative   = color.RGBA{0xf5, 0xa3, 0x9b, 0xff} // shade of the largest negative value
	colCalloutBg  = color.RGBA{0xfd, 0xec, 0xec, 0xff}
)

// drawSlidingScreen draws the sliding-filter lesson from the screen's view.
func drawSlidingScreen(p *painter, s *app.SlidingScreen) {
	v := s.View()
	back := v.Steps
	if !v.Drawer.Empty() {
		back = back.Union(v.Drawer)
	}
	back = image.Rect(back.Min.X-ui.U, back.Min.Y-ui.U, back.Max.X+ui.U, back.Max.Y+ui.U/2)
	p.fill(back, colPanel)
	p.fill(image.Rect(back.Min.X, back.Min.Y, back.Max.X, back.Min.Y+1), colLine)
	if !v.Drawer.Empty() {
		y := v.Steps.Min.Y - ui.Gap/2
		p.fill(image.Rect(back.Min.X+ui.U, y, back.Max.X-ui.U, y+1), colLine)
	}
	for i := range v.Grids {
		drawSlidingGrid(p, &v.Grids[i], v.Cell)
	}
	for i := range v.Texts {
		drawSlidingText(p, &v.Texts[i])
	}
	if v.Callout != nil {
		drawCallout(p, v.Callout)
	}
}

// shade returns a cell's background for value v of a grid whose largest
// |value| is limit: white at 0, blue for positive, red for negative.
func shade(v, limit float32) color.RGBA {
	if v == 0 || !(limit > 0) {
		return colPanel
	}
	t := v / limit
	target := colPositive
	if t < 0 {
		t, target = -t, colNegative
	}
	t = min(t, 1)
	mix := func(a, b uint8) uint8 { return uint8(float32(a) + (float32(b)-float32(a))*t + 0.5) }
	return color.RGBA{mix(colPanel.R, target.R), mix(colPanel.G, target.G), mix(colPanel.B, target.B), 0xff}
}

// drawSlidingGrid draws a grid of numbers: cell backgrounds, grid lines
// one device pixel wide (or more on a dense screen), values (and the
// products inside the window), then the outlines.
func drawSlidingGrid(p *painter, g *app.SlidingGrid, c int) {
	for i := range g.Cells {
		cell := &g.Cells[i]
		bg := shade(cell.Value, g.Limit)
		switch {
		case cell.Current:
			bg = colWindowBg
		case cell.Padding && cell.Window:
			bg = colPaddingWin
		case cell.Padding:
			bg = colPadding
		case cell.Window:
			bg = colWindowBg
		case cell.Fed:
			bg = colFedBg
		case cell.Hidden:
			bg = colPanel
		}
		p.fill(cell.Rect, bg)
	}
	px := max(1, math.Round(p.scale)) / p.scale // one unit, at least one device pixel
	r := g.Rect
	rows := len(g.Cells) / max(1, g.Cols)
	for i := 0; i <= rows; i++ {
		p.fillF(float64(r.Min.X), float64(r.Min.Y+i*c)-px/2, float64(r.Dx()), px, colGrid)
	}
	for j := 0; j <= g.Cols; j++ {
		p.fillF(float64(r.Min.X+j*c)-px/2, float64(r.Min.Y), px, float64(r.Dy()), colGrid)
	}
	for i := range g.Cells {
		drawCellText(p, &g.Cells[i], c)
	}
	if g.Inner != g.Rect {
		p.stroke(g.Inner.Inset(-1), 2, colText)
	}
	for i := range g.Cells {
		cell := &g.Cells[i]
		switch {
		case cell.Error:
			p.stroke(cell.Rect, 3, colError)
		case cell.Current:
			p.stroke(cell.Rect.Inset(-1), 4, colWindow)
		case cell.Selected, cell.Fed:
			p.stroke(cell.Rect, 3, colAccent)
		}
	}
	if !g.Window.Empty() {
		p.stroke(g.Window.Inset(-2), 4, colWindow)
	}
}

// drawCellText writes a cell's value, and under it the product x·w when
// the cell lies in the window.
func drawCellText(p *painter, cell *app.SlidingCell, c int) {
	if cell.Text == "" {
		return
	}
	col := colText
	switch {
	case cell.Error:
		col = colError
	case cell.Padding:
		col = colMuted
	case cell.Current && cell.Text == "?":
		col = colWindowInk
	}
	style := regular
	if cell.Current {
		style = bold
	}
	r := cell.Rect
	room := float64(c) - 6
	if cell.Product == "" {
		size := fitSize(p, cell.Text, room, float64(c)*0.42, 9, style)
		p.textIn(cell.Text, r, size, style, col)
		return
	}
	size := fitSize(p, cell.Text, room, float64(c)*0.36, 9, style)
	p.text(cell.Text, float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y)+float64(c)*0.08, size, style, col, center)
	psize := fitSize(p, cell.Product, room, float64(c)*0.25, 8, regular)
	p.text(cell.Product, float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y)+float64(c)*0.56, psize, regular, colWindowInk, center)
}

// fitSize returns size, or a smaller size no less than least, at which s
// is at most w units wide.
func fitSize(p *painter, s string, w, size, least float64, style fontStyle) float64 {
	if size < least {
		return least
	}
	if tw := p.width(s, size, style); tw > w {
		size = max(least, size*w/tw)
	}
	return size
}

// textLook returns the colour and style of a text role.
func textLook(r app.TextRole) (color.RGBA, fontStyle) {
	switch r {
	case app.TextTitle:
		return colText, bold
	case app.TextMath:
		return colText, mono
	case app.TextNote:
		return colMuted, regular
	case app.TextError:
		return colError, bold
	case app.TextGood:
		return colGood, bold
	case app.TextWindow:
		return colWindowInk, bold
	}
	return colText, regular
}

// drawSlidingText sets a block of text in its rectangle: wrapped, or each
// line made smaller until it fits.
func drawSlidingText(p *painter, t *app.SlidingText) {
	col, style := textLook(t.Role)
	r := t.Rect
	w, h := float64(r.Dx()), float64(r.Dy())
	size := t.Size
	lines := t.Lines
	if t.Wrap {
		// Make the text smaller until the wrapped lines fit the height.
		for {
			lines = lines[:0:0]
			for _, l := range t.Lines {
				lines = append(lines, p.wrap(l, w, size, style)...)
			}
			if float64(len(lines))*size*1.3 <= h+size*0.3 || size <= t.Size*0.6 {
				break
			}
			size *= 0.9
		}
	} else {
		// One size for the block: the largest at which every line fits.
		for _, l := range lines {
			size = min(size, fitSize(p, l, w, t.Size, t.Size*0.55, style))
		}
		for float64(len(lines))*size*1.3 > h+size*0.3 && size > t.Size*0.55 {
			size *= 0.9
		}
	}
	lh := size * 1.3
	y := float64(r.Min.Y)
	if t.Middle {
		y += (h - float64(len(lines))*lh + (lh - size)) / 2
	}
	x, a := float64(r.Min.X), left
	if t.Centred {
		x, a = float64(r.Min.X+r.Max.X)/2, center
	}
	for _, l := range lines {
		p.text(l, x, y, size, style, col, a)
		y += lh
	}
}

// drawCallout draws a refusal in a box next to its cell: to the right if
// it fits, else to the left, kept inside the screen.
func drawCallout(p *painter, c *app.SlidingCallout) {
	size := float64(ui.SmallText)
	maxW := 36.0 * ui.U
	lines := p.wrap(c.Text, maxW-2*ui.U, size, regular)
	tw := 0.0
	for _, l := range lines {
		tw = max(tw, p.width(l, size, regular))
	}
	bw, bh := tw+2*ui.U, float64(len(lines))*size*1.35+ui.U
	b := c.Bounds
	x := float64(c.Anchor.Max.X + ui.U)
	if x+bw > float64(b.Max.X) {
		x = float64(c.Anchor.Min.X-ui.U) - bw
	}
	x = max(float64(b.Min.X), x)
	y := min(float64(c.Anchor.Min.Y), float64(b.Max.Y)-bh)
	p.fillF(x-2, y-2, bw+4, bh+4, colError)
	p.fillF(x, y, bw, bh, colCalloutBg)
	for i, l := range lines {
		p.text(l, x+ui.U, y+ui.U/2+float64(i)*size*1.35, size, regular, colError, left)
	}
}
