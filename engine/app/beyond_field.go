package app

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// fieldAddLabel is the text of the button that adds layer l: "+ 3x3 conv",
// "+ 3x3 conv, stride 2", "+ 2x2 max pool" (the padding is in the
// tooltip and the grid's title).
func fieldAddLabel(l lesson.FieldLayer) string {
	if l.Pool {
		return fmt.Sprintf("+ %dx%d max pool", l.K, l.K)
	}
	s := fmt.Sprintf("+ %dx%d conv", l.K, l.K)
	if l.Stride != 1 {
		s += fmt.Sprintf(", stride %d", l.Stride)
	}
	return s
}

// paintField lays out and draws the receptive-field tab: the buttons that
// add the lecture's common layers, the grids from the input to the last
// layer with the chosen unit's region in each, the table of sizes and the
// lecture's rule.
func (s *BeyondScreen) paintField(p *painter, body image.Rectangle) {
	f := s.m.Field
	x, y := body.Min.X, body.Min.Y
	var refusals []string
	for i, l := range lesson.CommonLayers {
		label := fieldAddLabel(l)
		w := beyondBtnW(label)
		_, err := f.Next(l)
		tip := "Add a " + l.Name() + " layer on top."
		if err != nil {
			tip = "Cannot add it now: " + sentence(err.Error())
			if !strings.Contains(err.Error(), "at most") {
				refusals = append(refusals, err.Error())
			}
		}
		s.add(ui.Widget{Name: "field-add-" + strconv.Itoa(i), Kind: ui.Button, Group: "by-btn", Label: label,
			Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: tip, Disabled: err != nil})
		x += w + ui.Gap
	}
	x += 2 * ui.U
	for _, b := range []struct{ name, label, tip string }{
		{"field-remove", "Remove last", "Take the top layer off the stack."},
		{"field-reset", "Reset", "Back to three 3x3 convolutions with padding 1."},
	} {
		w := beyondBtnW(b.label)
		s.add(ui.Widget{Name: b.name, Kind: ui.Button, Group: "by-btn", Label: b.label,
			Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: b.tip, Disabled: b.name == "field-remove" && len(f.Layers()) == 0})
		x += w + ui.Gap
	}
	y += ui.Control + ui.U
	note := "Click a unit of the last grid: orange marks, in every grid, what it depends on."
	ink := InkMuted
	if len(refusals) > 0 {
		note = "Greyed out: " + strings.Join(refusals, "; ") + "."
	}
	if len(f.Layers()) >= lesson.FieldMaxLayers {
		note = fmt.Sprintf("The stack is full (%d layers): remove one to try another.", lesson.FieldMaxLayers)
	}
	p.text(image.Rect(body.Min.X, y, body.Max.X, y+beyondLine), note, beyondSmall, FontRegular, ink, AlignLeft)
	y += beyondLine + ui.U

	// The lecture's rule, below the table.
	g := len(f.Sides()) - 1
	rule := "The buttons are the lecture's common conv settings (K = 3, P = 1; K = 5, P = 2; K = 1, P = 0; K = 3, P = 1, S = 2): " +
		"P = (K − 1)/2 keeps the size (\"same\" padding). Each K x K convolution with stride 1 adds K − 1 to what one unit sees: with L layers of 3x3, 1 + 2L. " +
		"After a layer of stride 2 (a strided convolution or 2x2 pooling), every later layer adds twice as much: downsampling lets a few layers see the whole image."
	more := f.MoreToCover()
	cover := fmt.Sprintf("A unit of the last layer sees %dx%d of the %dx%d input: %d more 3x3 layers of stride 1 would make it see all of it.",
		f.Seen(g), f.Seen(g), lesson.FieldInput, lesson.FieldInput, more)
	if more == 0 {
		cover = fmt.Sprintf("A unit of the last layer sees %dx%d: all of the %dx%d input (the rest is zero padding).",
			f.Seen(g), f.Seen(g), lesson.FieldInput, lesson.FieldInput)
	}
	if more == 1 {
		cover = strings.Replace(cover, "1 more 3x3 layers", "one more 3x3 layer", 1)
	}
	// Below the grids: the table (a head and a row per grid) and the rule.
	sides := f.Sides()
	n := len(sides)
	tableH := (n+1)*beyondLine + ui.U
	lh := int(math.Ceil(beyondSmall * 1.35))
	ruleH := (len(wrapText(rule, body.Dx(), beyondSmall, FontRegular))+len(wrapText(cover, body.Dx(), beyondSmall, FontBold)))*lh + ui.U
	titleH := 2 * beyondLine
	gridTop := y + titleH
	avail := body.Max.Y - tableH - ruleH - 2*ui.U - beyondLine - gridTop
	const colGap = 4 * ui.U
	minCol := 15 * ui.U
	c := 24
	for ; c > 4; c-- {
		w := (n - 1) * colGap
		for _, sd := range sides {
			w += max(sd*c, minCol)
		}
		if w <= body.Dx() && sides[0]*c <= avail {
			break
		}
	}
	gridH := 0
	for _, sd := range sides {
		gridH = max(gridH, sd*c)
	}
	total := (n - 1) * colGap
	for _, sd := range sides {
		total += max(sd*c, minCol)
	}
	x = body.Min.X + (body.Dx()-total)/2
	i, j := f.Unit()
	var prev image.Rectangle // the previous grid's region, in units
	for g, sd := range sides {
		colW := max(sd*c, minCol)
		gr := image.Rect(x+(colW-sd*c)/2, gridTop, x+(colW-sd*c)/2+sd*c, gridTop+sd*c)
		title, sub := "input", fmt.Sprintf("%dx%d", sd, sd)
		if g > 0 {
			title = fmt.Sprintf("layer %d: %dx%d", g, sd, sd)
			sub = f.Layers()[g-1].Short()
		}
		wide := image.Rect(max(x-colGap/2, body.Min.X), 0, min(x+colW+colGap/2, body.Max.X), 0)
		p.text(image.Rect(x, y, x+colW, y+beyondLine), title, beyondSmall, FontBold, InkText, AlignCenter)
		p.text(image.Rect(wide.Min.X, y+beyondLine, wide.Max.X, y+2*beyondLine), sub, 13, FontRegular, InkMuted, AlignCenter)
		region := f.Region(g)
		vis := region.Intersect(image.Rect(0, 0, sd, sd))
		unit := image.Rect(-1, -1, -1, -1)
		if g == n-1 {
			unit = image.Rect(j, i, j+1, i+1)
		}
		drawFieldGrid(p, gr, sd, c, vis, unit)
		rr := image.Rect(gr.Min.X+vis.Min.X*c, gr.Min.Y+vis.Min.Y*c, gr.Min.X+vis.Max.X*c, gr.Min.Y+vis.Max.Y*c)
		if g > 0 && !prev.Empty() {
			p.line(image.Pt(prev.Max.X, prev.Min.Y), image.Pt(rr.Min.X, rr.Min.Y), 1.5, InkWindow)
			p.line(image.Pt(prev.Max.X, prev.Max.Y), image.Pt(rr.Min.X, rr.Max.Y), 1.5, InkWindow)
		}
		prev = rr
		seen := f.Seen(g)
		words := fmt.Sprintf("one unit sees %dx%d", seen, seen)
		if g == 0 {
			words = fmt.Sprintf("its field: %dx%d", region.Dx(), region.Dy())
		}
		p.text(image.Rect(wide.Min.X, gridTop+gridH+ui.U/2, wide.Max.X, gridTop+gridH+ui.U/2+beyondLine), words, 13, FontBold, InkWindow, AlignCenter)
		if g == n-1 {
			t := s.touch()
			ar := gr
			if ar.Dx() < t {
				d := (t - ar.Dx() + 1) / 2
				ar = image.Rect(ar.Min.X-d, ar.Min.Y-d, ar.Max.X+d, ar.Max.Y+d)
			}
			s.add(ui.Widget{Name: "field-pick", Kind: ui.Area, Rect: ar, Label: fmt.Sprintf("Last layer's output, %dx%d: click a unit to see what it depends on", sd, sd),
				Tooltip: "Click a unit: the orange regions show what it depends on in every grid."})
			s.areas["field-pick"] = beyondArea{grid: gr, n: sd}
		}
		x += colW + colGap
	}

	// The table.
	y = gridTop + gridH + beyondLine + 2*ui.U
	rows := [][]string{{"", "layer", "output size", "the chosen unit reads", "one unit sees", "grows by"}}
	for g, sd := range sides {
		reg := f.Region(g)
		row := []string{"input", "", fmt.Sprintf("%dx%d", sd, sd), regionWords(reg, sd), "", ""}
		if g > 0 {
			l := f.Layers()[g-1]
			row[0], row[1] = "layer "+strconv.Itoa(g), l.Name()
			row[2] = lesson.SizeFormula(sides[g-1], l.K, l.Pad, l.Stride)
			row[4] = fmt.Sprintf("%dx%d", f.Seen(g), f.Seen(g))
			row[5] = "+" + strconv.Itoa(f.Seen(g)-f.Seen(g-1))
		}
		if g == n-1 {
			row[3] = fmt.Sprintf("unit (%d, %d)", i, j)
			if g == 0 {
				row[3] = fmt.Sprintf("pixel (%d, %d)", i, j)
			}
		}
		rows = append(rows, row)
	}
	widths := []int{9 * ui.U, 30 * ui.U, 30 * ui.U, 40 * ui.U, 17 * ui.U, 11 * ui.U}
	aligns := []Align{AlignLeft, AlignLeft, AlignLeft, AlignLeft, AlignLeft, AlignLeft}
	tw := 5 * 2 * ui.U
	for _, w := range widths {
		tw += w
	}
	y = p.table(body.Min.X+(body.Dx()-tw)/2, y, widths, aligns, rows, beyondSmall, true, 2*ui.U)

	y += ui.U
	r := image.Rect(body.Min.X, y, body.Max.X, body.Max.Y)
	y = p.para(r, rule, beyondSmall, FontRegular, InkText)
	p.para(image.Rect(body.Min.X, y, body.Max.X, body.Max.Y), cover, beyondSmall, FontBold, InkText)
}

// regionWords writes a region of a grid of side n: "rows 4–10, cols
// 4–10", with how far it reaches into the padding: "(2 in padding)".
func regionWords(r image.Rectangle, n int) string {
	s := fmt.Sprintf("rows %s, cols %s", span(r.Min.Y, r.Max.Y-1), span(r.Min.X, r.Max.X-1))
	out := max(0, -r.Min.Y, -r.Min.X, r.Max.Y-n, r.Max.X-n)
	if out > 0 {
		s += fmt.Sprintf(" (%d in padding)", out)
	}
	return s
}

// span writes a range of indices, "4–10", or one index.
func span(a, b int) string {
	num := func(v int) string {
		if v < 0 {
			return lesson.Minus + strconv.Itoa(-v)
		}
		return strconv.Itoa(v)
	}
	if a == b {
		return num(a)
	}
	return num(a) + "–" + num(b)
}

// drawFieldGrid draws an n x n grid of c-unit cells at r: white cells, the
// region's cells in the window's tint, the unit in orange, grid lines and
// the region's outline.
func drawFieldGrid(p *painter, r image.Rectangle, n, c int, region, unit image.Rectangle) {
	p.fill(r, InkPanel)
	cells := func(q image.Rectangle) image.Rectangle {
		return image.Rect(r.Min.X+q.Min.X*c, r.Min.Y+q.Min.Y*c, r.Min.X+q.Max.X*c, r.Min.Y+q.Max.Y*c)
	}
	if !region.Empty() {
		p.fill(cells(region), InkWindowBg)
	}
	if unit.Min.X >= 0 {
		p.fill(cells(unit), InkWindow)
	}
	if c >= 6 {
		for k := 1; k < n; k++ {
			p.fill(image.Rect(r.Min.X, r.Min.Y+k*c, r.Max.X, r.Min.Y+k*c+1), InkLine)
			p.fill(image.Rect(r.Min.X+k*c, r.Min.Y, r.Min.X+k*c+1, r.Max.Y), InkLine)
		}
	}
	p.stroke(r, 1, InkGrid)
	if !region.Empty() {
		p.stroke(cells(region), 2, InkWindow)
	}
}

// fieldEvent acts on the receptive-field tab's controls.
func (s *BeyondScreen) fieldEvent(ev ui.Event, say *ui.Announcer) bool {
	f := s.m.Field
	if ev.Target == "field-pick" {
		if ev.Type != ui.Click {
			return false
		}
		i, j, ok := s.areaCell("field-pick", ev)
		if !ok {
			return false
		}
		if err := f.Choose(i, j); err != nil {
			say.Say(sentence(err.Error()))
			return true
		}
		reg := f.Region(0)
		say.Say(fmt.Sprintf("Unit (%d, %d) of layer %d depends on input %s.", i, j, len(f.Layers()), regionWords(reg, lesson.FieldInput)))
		return true
	}
	if ev.Type != ui.Click {
		return false
	}
	switch ev.Target {
	case "field-remove":
		if err := f.RemoveLast(); err != nil {
			say.Say(sentence(err.Error()))
			return true
		}
		say.Say(s.fieldWords("Removed the top layer"))
		return true
	case "field-reset":
		f.Reset()
		say.Say(s.fieldWords("Back to three 3x3 convolutions"))
		return true
	}
	k, ok := strings.CutPrefix(ev.Target, "field-add-")
	if !ok {
		return false
	}
	idx, err := strconv.Atoi(k)
	if err != nil || idx < 0 || idx >= len(lesson.CommonLayers) {
		return false
	}
	l := lesson.CommonLayers[idx]
	if err := f.Add(l); err != nil {
		say.Say(capitalize(sentence(err.Error())))
		return true
	}
	say.Say(s.fieldWords("Added " + l.Name()))
	return true
}

// fieldWords says what the stack is now.
func (s *BeyondScreen) fieldWords(what string) string {
	f := s.m.Field
	g := len(f.Sides()) - 1
	side := f.Sides()[g]
	return fmt.Sprintf("%s: %d layers, output %dx%d; one unit sees %dx%d of the input.", what, g, side, side, f.Seen(g), f.Seen(g))
}
