package app

import (
	"image"

	"convlab/engine/ui"
)

// Text sizes of lesson 5, in units.
const (
	beyondBody  = 18.0 // body text and table cells
	beyondSmall = 15.0 // captions, notes, column heads
	beyondTitle = 18.0 // bold titles
	beyondLine  = 3 * ui.U
	beyondStat  = 6 * ui.U // kept free at the bottom for the page's status line
)

// beyondBtnW returns the width of a page button showing label: the page
// sets button text at 0.8 of 20 units in the browser's sans-serif, which
// can be wide (up to 0.65 em a character), with 0.4 em of padding a side.
func beyondBtnW(label string) int {
	w := int(float64(len([]rune(label)))*16*0.65) + 3*ui.U
	return max(ui.Control, (w+ui.U-1)/ui.U*ui.U)
}

// pic returns the picture under key, remade by draw; its version changes
// only when the pixels do, so the page uploads it again only then.
func (s *BeyondScreen) pic(key string, draw func() *image.RGBA) *Picture {
	p := s.pics[key]
	if p == nil {
		p = &Picture{Key: key, Version: -1}
		s.pics[key] = p
	}
	if p.show(draw(), s.gen+1) {
		s.gen++
	}
	return p
}

// table writes rows of cells in columns of the given widths and
// alignments, one line each, from r's top-left, and returns the y below.
func (p *painter) table(x, y int, widths []int, aligns []Align, rows [][]string, size float64, head bool, gap int) int {
	lh := beyondLine
	for ri, row := range rows {
		cx := x
		for ci, cell := range row {
			f, ink := FontRegular, InkText
			if head && ri == 0 {
				f, ink = FontRegular, InkMuted
			}
			p.text(image.Rect(cx, y, cx+widths[ci], y+lh), cell, size, f, ink, aligns[ci])
			cx += widths[ci] + gap
		}
		y += lh
		if head && ri == 0 {
			p.fill(image.Rect(x, y-2, cx-gap, y-1), InkLine)
		}
	}
	return y
}
