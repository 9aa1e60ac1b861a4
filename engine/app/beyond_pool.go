package app

import (
	"fmt"
	"image"
	"image/color"
	"strconv"

	"convlab/engine/lesson"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// poolTints colour the windows of a pooling whose windows do not overlap,
// and the outputs they give, as the lecture's figure does.
var poolTints = []color.RGBA{
	{0xfd, 0xd5, 0xd5, 0xff}, // red
	{0xd4, 0xf0, 0xd4, 0xff}, // green
	{0xd6, 0xe4, 0xfd, 0xff}, // blue
	{0xfd, 0xef, 0xc8, 0xff}, // yellow
}

// paintPool lays out and draws the pooling tab: the grid's size, the
// window and the stride to choose; the input grid (editable), its max
// pooling with the winners marked and its average pooling; the chosen
// output's window and its arithmetic; the shape formula and the ledger.
func (s *BeyondScreen) paintPool(p *painter, body image.Rectangle) {
	g := s.m.Pool
	t := s.touch()
	size, stride := g.Window()
	x, y := body.Min.X, body.Min.Y
	group := func(label string, name string, values []int, on int, text func(int) string, tip func(int) string) {
		lw := textW(label, beyondSmall, FontRegular) + ui.U
		p.text(image.Rect(x, y, x+lw, y+ui.Control), label, beyondSmall, FontRegular, InkMuted, AlignLeft)
		x += lw
		for _, v := range values {
			w := max(t, beyondBtnW(text(v)))
			s.add(ui.Widget{Name: name + "-" + strconv.Itoa(v), Kind: ui.Choice, Group: "by-on", Label: text(v), On: v == on,
				Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: tip(v)})
			x += w + ui.Gap
		}
		x += 3 * ui.U
	}
	square := func(v int) string { return fmt.Sprintf("%dx%d", v, v) }
	group("Grid", "pool-side", lesson.PoolSides, g.Side(), square, func(v int) string { return fmt.Sprintf("A %dx%d grid of numbers.", v, v) })
	group("Window", "pool-size", lesson.PoolSizes, size, square, func(v int) string { return fmt.Sprintf("Pool each %dx%d window.", v, v) })
	group("Stride", "pool-stride", lesson.PoolStrides, stride, strconv.Itoa, func(v int) string {
		return fmt.Sprintf("The window moves %d cell(s) at a time.", v)
	})
	for _, b := range []struct{ name, label, tip string }{
		{"pool-example", "Lecture's example", "The lecture's 4x4 slice, 2x2 windows, stride 2: max pooling gives 6 8 / 3 4."},
		{"pool-random", "Random", "New random digits in the grid."},
	} {
		w := beyondBtnW(b.label)
		s.add(ui.Widget{Name: b.name, Kind: ui.Button, Group: "by-btn", Label: b.label, Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: b.tip})
		x += w + ui.Gap
	}
	y += ui.Control + 2*ui.U

	n, h := g.Side(), g.OutSide()
	textH := 5 * beyondLine
	avail := body.Max.Y - y - 2*beyondLine - 2*ui.U - textH
	const arrow = 8 * ui.U
	minOut := 26 * ui.U
	c := max(t, min(10*ui.U, avail/n))
	for c > t && n*c+arrow+2*max(h*c, minOut)+8*ui.U > body.Dx() {
		c--
	}
	outW := max(h*c, minOut)
	if h == 0 {
		outW = 60 * ui.U
	}
	total := n*c + arrow + 2*outW + 4*ui.U
	if h == 0 {
		total = n*c + arrow + outW
	}
	x = body.Min.X + max(0, body.Dx()-total)/2
	top := y + beyondLine
	in := image.Rect(x, top, x+n*c, top+n*c)
	p.text(image.Rect(in.Min.X, y, in.Max.X+arrow, y+beyondLine), fmt.Sprintf("input %dx%d (one channel)", n, n), beyondSmall, FontBold, InkText, AlignLeft)
	si, sj, sel := g.Selected()
	tinted := stride >= size && h > 0
	won := map[int]bool{}
	for q := 0; q < h*h; q++ {
		wy, wx := g.Winner(q)
		won[wy*n+wx] = true
	}
	lim := float32(0)
	for _, v := range g.Input().Data {
		lim = max(lim, v, -v)
	}
	for yy := 0; yy < n; yy++ {
		for xx := 0; xx < n; xx++ {
			r := image.Rect(in.Min.X+xx*c, in.Min.Y+yy*c, in.Min.X+(xx+1)*c, in.Min.Y+(yy+1)*c)
			v := g.Value(yy, xx)
			name := fmt.Sprintf("pool-in-%d-%d", yy, xx)
			text := lesson.FormatNumber(v)
			s.add(ui.Widget{Name: name, Kind: ui.Cell, Group: "by-num", Rect: r, Editable: true, Text: text,
				Label:   fmt.Sprintf("Input (%d, %d) = %s", yy, xx, text),
				Tooltip: "Type a number, or drag up and down, or turn the wheel: ±1."})
			bg := color.RGBA{0xff, 0xff, 0xff, 0xff}
			if tinted {
				i, j := yy/stride, xx/stride
				if i < h && j < h && g.InWindow(i, j, yy, xx) {
					bg = poolTints[(i*h+j)%len(poolTints)]
				} else {
					bg = color.RGBA{0xe6, 0xe7, 0xea, 0xff}
				}
			}
			if sel && g.InWindow(si, sj, yy, xx) {
				bg = color.RGBA{0xff, 0xe2, 0xc2, 0xff}
			}
			p.fillColour(r, bg)
			p.stroke(r, 1, InkGrid)
			f := FontRegular
			if won[yy*n+xx] {
				f = FontBold
				p.stroke(r.Inset(4), 2, InkAccent)
			}
			if name == s.errCell {
				p.stroke(r, 3, InkError)
			}
			p.text(r, text, fitSize(text, c, f), f, InkText, AlignCenter)
		}
	}
	if sel {
		win := image.Rect(in.Min.X+sj*stride*c, in.Min.Y+si*stride*c, in.Min.X+(sj*stride+size)*c, in.Min.Y+(si*stride+size)*c)
		p.stroke(win.Inset(-2), 4, InkWindow)
	}
	x = in.Max.X + arrow

	if h == 0 {
		r := image.Rect(x, top, x+outW, top+n*c)
		p.text(image.Rect(x, y, x+outW, y+beyondLine), "No output", beyondSmall, FontBold, InkError, AlignLeft)
		yy := p.para(r, capitalize(sentence(g.Err().Error())), beyondBody, FontRegular, InkError)
		p.para(image.Rect(x, yy+ui.U, r.Max.X, r.Max.Y), g.Formula(), beyondBody, FontMono, InkText)
		s.poolText(p, image.Rect(body.Min.X, in.Max.Y+2*ui.U, body.Max.X, body.Max.Y))
		return
	}
	for k, kind := range []string{"max", "avg"} {
		out := g.Max()
		title := fmt.Sprintf("max pool → %dx%d", h, h)
		if kind == "avg" {
			out = g.Avg()
			title = fmt.Sprintf("average pool → %dx%d", h, h)
		}
		if k == 0 {
			p.text(image.Rect(x-arrow, top+n*c/2-beyondLine/2, x, top+n*c/2+beyondLine/2), "→", 24, FontRegular, InkMuted, AlignCenter)
		}
		p.text(image.Rect(x, y, min(x+outW+3*ui.U, body.Max.X), y+beyondLine), title, beyondSmall, FontBold, InkText, AlignLeft)
		olim := float32(0)
		for _, v := range out.Data {
			olim = max(olim, v, -v)
		}
		for i := 0; i < h; i++ {
			for j := 0; j < h; j++ {
				r := image.Rect(x+j*c, top+i*c, x+(j+1)*c, top+(i+1)*c)
				v := out.Data[i*h+j]
				text := lesson.FormatNumber(v)
				label := fmt.Sprintf("Max pool output (%d, %d) = %s: click to see its window", i, j, text)
				if kind == "avg" {
					label = fmt.Sprintf("Average pool output (%d, %d) = %s: click to see its window", i, j, text)
				}
				s.add(ui.Widget{Name: fmt.Sprintf("pool-%s-%d-%d", kind, i, j), Kind: ui.Cell, Group: "by-num", Rect: r, Label: label})
				bg := color.RGBA{0xff, 0xff, 0xff, 0xff}
				if tinted {
					bg = poolTints[(i*h+j)%len(poolTints)]
				}
				if sel && i == si && j == sj {
					bg = color.RGBA{0xff, 0xe2, 0xc2, 0xff}
				}
				p.fillColour(r, bg)
				p.stroke(r, 1, InkGrid)
				f := FontRegular
				if kind == "max" {
					f = FontBold
				}
				p.text(r, text, fitSize(text, c, f), f, InkText, AlignCenter)
			}
		}
		if sel {
			r := image.Rect(x+sj*c, top+si*c, x+(sj+1)*c, top+(si+1)*c)
			p.stroke(r.Inset(-2), 4, InkWindow)
		}
		if k == 0 {
			p.text(image.Rect(x, top+h*c+ui.U, x+outW+3*ui.U, top+h*c+ui.U+beyondLine), g.Formula(), beyondSmall, FontMono, InkText, AlignLeft)
		}
		x += outW + 4*ui.U
	}
	s.poolText(p, image.Rect(body.Min.X, top+n*c+2*ui.U, body.Max.X, body.Max.Y))
}

// poolText writes the chosen output's arithmetic and the facts of pooling.
func (s *BeyondScreen) poolText(p *painter, r image.Rectangle) {
	g := s.m.Pool
	y := r.Min.Y
	line := func(text string, f Font, ink Ink) {
		y = p.para(image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), text, beyondSmall, f, ink)
	}
	if i, j, ok := g.Selected(); ok {
		h := g.OutSide()
		wy, wx := g.Winner(i*h + j)
		line(fmt.Sprintf("Output (%d, %d): %s, won by input (%d, %d); average %s.", i, j, g.MaxWords(i, j), wy, wx, g.AvgWords(i, j)), FontMono, InkText)
	} else if g.Err() == nil {
		line("Click an output to outline its window on the input and write out its max and its average. Bold outlined inputs won their window.", FontRegular, InkMuted)
	}
	facts := "Pooling slides a window over each channel like a convolution, with the same output size (W − K)/S + 1, but takes the window's largest value (max) or mean (average): it has no weights to learn."
	if l, err := g.Ledger(); err == nil {
		facts += fmt.Sprintf(" nn's ledger of this pooling on a %s volume: output %s, %d parameters. The depth stays: each channel is pooled alone.",
			tensor.ShapeString(l.Input[:]), tensor.ShapeString(l.Row.Output), l.Row.Params)
	}
	line(facts, FontRegular, InkText)
	line("Max pooling gives some invariance to small shifts: move a window's largest value within its window and the output stays the same.", FontRegular, InkMuted)
}

// fitSize returns the largest text size up to 22 at which s fits in a cell
// of side c.
func fitSize(s string, c int, f Font) float64 {
	size := min(22, float64(c)*0.42)
	for size > 10 && textW(s, size, f) > c-ui.U {
		size--
	}
	return size
}

// poolEvent acts on the pooling tab's controls.
func (s *BeyondScreen) poolEvent(ev ui.Event, say *ui.Announcer) bool {
	g := s.m.Pool
	var a, b int
	switch {
	case scan(ev.Target, "pool-in-%d-%d", &a, &b):
		yy, xx := a, b
		return s.editable(ev, say, fmt.Sprintf("input (%d, %d)", yy, xx),
			func(t string) error { return g.Set(yy, xx, t) },
			func(n int) error { return g.Nudge(yy, xx, n) },
			func() string { return lesson.FormatNumber(g.Value(yy, xx)) })
	case scan(ev.Target, "pool-max-%d-%d", &a, &b), scan(ev.Target, "pool-avg-%d-%d", &a, &b):
		if ev.Type != ui.Click {
			return false
		}
		if err := g.Select(a, b); err != nil {
			say.Say(sentence(err.Error()))
			return true
		}
		h := g.OutSide()
		wy, wx := g.Winner(a*h + b)
		say.Say(fmt.Sprintf("Output (%d, %d): %s, from input (%d, %d); average %s.", a, b, g.MaxWords(a, b), wy, wx, g.AvgWords(a, b)))
		return true
	}
	if ev.Type != ui.Click {
		return false
	}
	size, stride := g.Window()
	var err error
	switch {
	case ev.Target == "pool-example":
		g.Example()
		s.errCell = ""
		say.Say("The lecture's example: " + g.MaxWords(0, 0) + ", and so on: 6 8 / 3 4.")
		return true
	case ev.Target == "pool-random":
		g.Random()
		s.errCell = ""
		say.Say("New random digits in the grid.")
		return true
	case scan(ev.Target, "pool-side-%d", &a):
		err = g.SetSide(a)
	case scan(ev.Target, "pool-size-%d", &a):
		err = g.SetWindow(a, stride)
	case scan(ev.Target, "pool-stride-%d", &a):
		err = g.SetWindow(size, a)
	default:
		return false
	}
	s.errCell = ""
	if err != nil {
		say.Say(sentence(err.Error()))
		return true
	}
	if g.Err() != nil {
		say.Say("No output: " + sentence(g.Err().Error()))
		return true
	}
	h := g.OutSide()
	say.Say(fmt.Sprintf("%s → %dx%d: %s.", fmt.Sprintf("%dx%d", g.Side(), g.Side()), h, h, g.Formula()))
	return true
}

// scan reads a target name of the given pattern into the ints; it reports
// whether the whole name matched.
func scan(name, pattern string, into ...*int) bool {
	args := make([]any, len(into))
	for i, p := range into {
		args[i] = p
	}
	n, err := fmt.Sscanf(name, pattern, args...)
	if err != nil || n != len(into) {
		return false
	}
	// Sscanf stops at the last verb: write the numbers back and compare.
	vals := make([]any, len(into))
	for i, p := range into {
		vals[i] = *p
	}
	return fmt.Sprintf(pattern, vals...) == name
}
