package app

import (
	"fmt"
	"image"
	"math"
	"strconv"

	"convlab/engine/lesson"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// short2 writes v rounded to two decimals, for the small cells of the
// batch-norm tab.
func short2(v float32) string { return lesson.FormatNumber(float32(math.Round(float64(v)*100) / 100)) }

// paintNorm lays out and draws the batch-norm tab: the mode and the
// training buttons; per channel the conv's output for the batch, the
// statistics used, the normalised values, γ and β (editable) and the
// output; below, the running averages and the fold into the conv.
func (s *BeyondScreen) paintNorm(p *painter, body image.Rectangle) {
	n := s.m.Norm
	t := s.touch()
	x, y := body.Min.X, body.Min.Y
	for _, b := range []struct {
		name, label, tip string
		on               bool
	}{
		{"norm-train", "Training mode", "Normalise each channel with this batch's mean and variance.", !n.Test()},
		{"norm-test", "Test mode", "Normalise each channel with the running averages: a fixed a·x + b.", n.Test()},
	} {
		w := beyondBtnW(b.label)
		s.add(ui.Widget{Name: b.name, Kind: ui.Choice, Group: "by-on", Label: b.label, On: b.on, Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: b.tip})
		x += w + ui.Gap
	}
	x += 3 * ui.U
	for _, b := range []struct{ name, label, tip string }{
		{"norm-batch", "New batch", "Draw three new random 4x4 inputs (the running averages stay)."},
		{"norm-train-1", "Train 1 batch", "A training step on this batch: the running averages move 10% of the way to its statistics; then a new batch."},
		{"norm-train-20", "Train 20 batches", "Twenty training steps, each on a new batch."},
		{"norm-reset", "Reset running averages", "Running mean 0 and variance 1, as before any training."},
	} {
		w := beyondBtnW(b.label)
		s.add(ui.Widget{Name: b.name, Kind: ui.Button, Group: "by-btn", Label: b.label, Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: b.tip})
		x += w + ui.Gap
	}
	y += ui.Control + ui.U
	mode := "Training mode: each channel is normalised with the mean and variance of this batch's 3 examples x 4 positions = 12 values, so an output depends on the other examples in the batch."
	if n.Test() {
		mode = "Test mode: each channel uses the running averages, the same for every batch: a fixed a·x + b per channel that folds into the conv before it."
	}
	y = p.para(image.Rect(body.Min.X, y, body.Max.X, y+2*beyondLine), mode, beyondSmall, FontRegular, InkText)
	p.para(image.Rect(body.Min.X, y, body.Max.X, y+beyondLine),
		"x is a conv layer's output (2 filters 3x3: a box sum + 2, and a quarter Sobel − 1) for a batch of 3 random 4x4 inputs: 2 channels of 2x2 per example.",
		13, FontRegular, InkMuted)
	y += beyondLine + ui.U

	// The table: a column group per stage, a row per channel.
	mc := 11 * ui.U / 2 // a small cell
	exW := 2*mc*lesson.NormBatch + (lesson.NormBatch-1)*ui.U
	const g = 2 * ui.U
	labelW := 10 * ui.U
	statW := 16 * ui.U
	gbW := 2*t + ui.U
	groups := []int{labelW, exW, statW, exW, gbW, exW}
	total := (len(groups) - 1) * g
	for _, w := range groups {
		total += w
	}
	xs := make([]int, len(groups))
	x = body.Min.X + (body.Dx()-total)/2
	for i, w := range groups {
		xs[i] = x
		x += w + g
	}
	stat := "batch μ, σ²"
	if n.Test() {
		stat = "running μ, σ²"
	}
	heads := []string{"", "x: conv output", stat, "z = (x − μ)/√(σ² + ε)", "γ, β", "y = γ·z + β"}
	for i, h := range heads {
		p.text(image.Rect(xs[i]-g/2, y, xs[i]+groups[i]+g/2, y+beyondLine), h, beyondSmall, FontBold, InkText, AlignCenter)
	}
	y += beyondLine
	for _, gi := range []int{1, 3, 5} {
		for e := 0; e < lesson.NormBatch; e++ {
			ex := xs[gi] + e*(2*mc+ui.U)
			p.text(image.Rect(ex, y, ex+2*mc, y+beyondLine), "example "+strconv.Itoa(e+1), 12, FontRegular, InkMuted, AlignCenter)
		}
	}
	y += beyondLine
	rowH := max(2*mc, 2*t+ui.U)
	size := 20.0 // one text size for every small cell: the largest at which all fit
	for _, tt := range []*tensor.Tensor{n.X(), n.XHat(), n.Y()} {
		for _, v := range tt.Data {
			size = min(size, fitSize(short2(v), mc, FontRegular))
		}
	}
	for c := 0; c < lesson.NormChannels; c++ {
		p.text(image.Rect(xs[0], y, xs[0]+labelW, y+rowH), "channel "+strconv.Itoa(c), beyondSmall, FontBold, InkText, AlignLeft)
		gy := y + (rowH-2*mc)/2
		normMinis(p, n.X(), c, xs[1], gy, mc, size)
		mu, va := n.Mean(c), n.Var(c)
		if n.Test() {
			mu, va = n.Running(c)
		}
		p.text(image.Rect(xs[2], gy, xs[2]+statW, gy+mc), "μ = "+lesson.FormatNumber(mu), beyondSmall, FontMono, InkText, AlignCenter)
		p.text(image.Rect(xs[2], gy+mc, xs[2]+statW, gy+2*mc), "σ² = "+lesson.FormatNumber(va), beyondSmall, FontMono, InkText, AlignCenter)
		normMinis(p, n.XHat(), c, xs[3], gy, mc, size)
		for k, name := range []string{"γ", "β"} {
			r := image.Rect(xs[4]+k*(t+ui.U), y+(rowH-t)/2, xs[4]+k*(t+ui.U)+t, y+(rowH-t)/2+t)
			v := n.Gamma(c)
			if k == 1 {
				v = n.Beta(c)
			}
			s.numberCell(p, r, fmt.Sprintf("norm-%s-%d", []string{"gamma", "beta"}[k], c), fmt.Sprintf("%s of channel %d", name, c), v, 2, true)
			p.text(image.Rect(r.Min.X, r.Min.Y-beyondLine+4, r.Max.X, r.Min.Y), name, 13, FontRegular, InkMuted, AlignCenter)
		}
		normMinis(p, n.Y(), c, xs[5], gy, mc, size)
		y += rowH + 2*ui.U
	}

	// Running averages and the fold.
	y += ui.U
	half := (body.Dx() - 4*ui.U) / 2
	left := image.Rect(body.Min.X, y, body.Min.X+half, body.Max.Y)
	right := image.Rect(left.Max.X+4*ui.U, y, body.Max.X, body.Max.Y)
	rows := [][]string{{"", "running μ", "running σ²", "after 1 more step on this batch"}}
	for c := 0; c < lesson.NormChannels; c++ {
		mu, va := n.Running(c)
		nm, nv := n.RunningNext(c)
		rows = append(rows, []string{"channel " + strconv.Itoa(c), lesson.FormatNumber(mu), lesson.FormatNumber(va),
			"μ " + lesson.FormatNumber(nm) + ", σ² " + lesson.FormatNumber(nv)})
	}
	p.text(image.Rect(left.Min.X, y, left.Max.X, y+beyondLine), fmt.Sprintf("Running averages after %d training batches", n.Steps()), beyondSmall, FontBold, InkText, AlignLeft)
	ty := p.table(left.Min.X, y+beyondLine, []int{10 * ui.U, 11 * ui.U, 11 * ui.U, 30 * ui.U},
		[]Align{AlignLeft, AlignRight, AlignRight, AlignLeft}, rows, beyondSmall, true, 2*ui.U)
	p.para(image.Rect(left.Min.X, ty+ui.U/2, left.Max.X, left.Max.Y),
		"Each training step: running ← 0.9·running + 0.1·batch (the variance unbiased, over 11). Test mode uses them.", 13, FontRegular, InkMuted)

	p.text(image.Rect(right.Min.X, y, right.Max.X, y+beyondLine), "At test time batch norm folds into the conv", beyondSmall, FontBold, InkText, AlignLeft)
	ry := y + beyondLine
	for c := 0; c < lesson.NormChannels; c++ {
		a, b := n.Affine(c)
		w0, b0 := n.Filter(c, false)
		w1, b1 := n.Filter(c, true)
		k := 0
		for k < len(w0) && w0[k] == 0 {
			k++
		}
		factor := lesson.FormatNumber(b0)
		if b0 < 0 {
			factor = "(" + factor + ")"
		}
		text := fmt.Sprintf("Channel %d: a = γ/√(running σ² + ε) = %s and b = β − a·(running μ) = %s, so filter %d's weights are multiplied by %s (%s → %s) and its bias becomes a·%s + b = %s.",
			c, lesson.FormatNumber(a), lesson.FormatNumber(b), c, lesson.FormatNumber(a), lesson.FormatNumber(w0[k]), lesson.FormatNumber(w1[k]), factor, lesson.FormatNumber(b1))
		ry = p.para(image.Rect(right.Min.X, ry, right.Max.X, right.Max.Y), text, 14, FontRegular, InkText) + ui.U/2
	}
	verdict := fmt.Sprintf("Conv then batch norm in test mode, and the folded conv alone, on this batch: the largest difference is %s.", lesson.FormatNumber(n.FoldDiff()))
	ink := InkGood
	if n.FoldDiff() > 1e-4 {
		ink = InkError
	}
	p.para(image.Rect(right.Min.X, ry+ui.U/2, right.Max.X, right.Max.Y), verdict, beyondSmall, FontBold, ink)
}

// normMinis draws channel c of each example of t (N, C, 2, 2) as a 2x2
// grid of numbers set at size, the examples side by side from (x, y).
func normMinis(p *painter, t *tensor.Tensor, c, x, y, mc int, size float64) {
	nb, ch := t.Shape[0], t.Shape[1]
	lim := float32(0)
	for e := 0; e < nb; e++ {
		for _, v := range t.Data[(e*ch+c)*4 : (e*ch+c+1)*4] {
			lim = max(lim, v, -v)
		}
	}
	for e := 0; e < nb; e++ {
		ex := x + e*(2*mc+ui.U)
		for k, v := range t.Data[(e*ch+c)*4 : (e*ch+c+1)*4] {
			r := image.Rect(ex+(k%2)*mc, y+(k/2)*mc, ex+(k%2+1)*mc, y+(k/2+1)*mc)
			p.fillColour(r, mapsTint(v, lim))
			p.stroke(r, 1, InkLine)
			text := short2(v)
			p.text(r, text, size, FontRegular, InkText, AlignCenter)
		}
		p.stroke(image.Rect(ex, y, ex+2*mc, y+2*mc), 1, InkGrid)
	}
}

// normEvent acts on the batch-norm tab's controls.
func (s *BeyondScreen) normEvent(ev ui.Event, say *ui.Announcer) bool {
	n := s.m.Norm
	var c int
	for k, which := range []string{"gamma", "beta"} {
		if scan(ev.Target, "norm-"+which+"-%d", &c) && c >= 0 && c < lesson.NormChannels {
			name := []string{"γ", "β"}[k]
			now := func() string {
				if k == 0 {
					return lesson.FormatNumber(n.Gamma(c))
				}
				return lesson.FormatNumber(n.Beta(c))
			}
			return s.editable(ev, say, fmt.Sprintf("%s of channel %d", name, c),
				func(t string) error { return n.Set(c, k, t) },
				func(d int) error { return n.Nudge(c, k, d) }, now)
		}
	}
	if ev.Type != ui.Click {
		return false
	}
	switch ev.Target {
	case "norm-train", "norm-test":
		n.SetTest(ev.Target == "norm-test")
		say.Say(beyondTabWords("batchnorm", s.m))
	case "norm-batch":
		n.NewBatch()
		say.Say(fmt.Sprintf("A new batch: channel 0 has mean %s and variance %s.", lesson.FormatNumber(n.Mean(0)), lesson.FormatNumber(n.Var(0))))
	case "norm-train-1", "norm-train-20":
		k := 1
		if ev.Target == "norm-train-20" {
			k = 20
		}
		n.Train(k)
		mu, va := n.Running(0)
		say.Say(fmt.Sprintf("%d training batches so far: channel 0's running mean is %s, its running variance %s.", n.Steps(), lesson.FormatNumber(mu), lesson.FormatNumber(va)))
	case "norm-reset":
		n.ResetRunning()
		say.Say("Running averages back to mean 0 and variance 1.")
	default:
		return false
	}
	return true
}
