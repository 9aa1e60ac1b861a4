package lesson

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"convlab/engine/nn"
	"convlab/engine/ui"
)

// Verdict is the answer to a student's prediction.
type Verdict struct {
	Right bool
	Text  string // "Right: the sum of the nine products is 3, plus bias 1 is 4."
}

// Predict checks a student's prediction of the next output value: the cell
// waiting for a prediction, or else the cell the next Step reveals. The
// verdict gives the reason (Dot.Reason) and becomes the last message,
// tied to "predict"; then the cell is revealed, the filter standing on it.
// A guess is right when it is written as the value is (FormatNumber) or
// lies within 0.0005 of it. Text that is not a number is refused, as Set
// refuses it, and nothing moves.
func (m *Sliding) Predict(text string) (Verdict, error) {
	const target = "predict"
	if m.out == nil {
		return Verdict{}, m.refuse(target, fmt.Errorf("there is no output to predict: %v", m.sizeErr))
	}
	idx := m.pos
	if !m.asking {
		idx++
	}
	if idx >= m.out.Len() {
		return Verdict{}, m.refuse(target, errors.New("every output is computed: there is nothing left to predict"))
	}
	guess, err := ui.ParseNumber(text)
	if err != nil {
		return Verdict{}, m.refuse(target, err)
	}
	h := m.out.Shape[1]
	d := CellDot(m.x, m.w, m.b, m.p, m.s, idx/(h*h), idx/h%h, idx%h)
	value := m.out.Data[idx] // the engine's value; d.Value equals it bit for bit
	var v Verdict
	if sameShown(guess, value) {
		v = Verdict{Right: true, Text: "Right: " + d.Reason() + "."}
	} else {
		v.Text = "Not quite: you said " + FormatNumber(guess) + ", but " + d.Reason() + "."
		if d.Bias != 0 && sameShown(guess, d.Sum) {
			v.Text += " That is the sum before adding the bias."
		}
	}
	m.pos, m.asking, m.seen[idx] = idx, false, true
	m.msg = Message{Text: v.Text, Target: target}
	return v, nil
}

// sameShown reports whether a guess matches a value as the page shows it.
func sameShown(guess, value float32) bool {
	return FormatNumber(guess) == FormatNumber(value) || math.Abs(float64(guess)-float64(value)) <= 0.0005
}

// PredictSize checks a student's prediction of the output size for the
// current shape setting: a number ("5"), a size ("5x5", "5 x 5", "5×5"),
// or "none" for a setting with no output. The verdict shows the formula
// with the numbers in place and becomes the last message, tied to
// "predict-size". Text of another form is refused.
func (m *Sliding) PredictSize(text string) (Verdict, error) {
	const target = "predict-size"
	guess, none, err := parseSize(text)
	if err != nil {
		return Verdict{}, m.refuse(target, err)
	}
	size, sizeErr := nn.OutputSize(m.n, m.k, m.p, m.s)
	var v Verdict
	switch {
	case sizeErr != nil && none:
		v = Verdict{Right: true, Text: fmt.Sprintf("Right: there is no output, because %v.", sizeErr)}
	case sizeErr != nil:
		v.Text = fmt.Sprintf("Not quite: there is no output, because %v. %s", sizeErr, m.Suggestion())
	case none:
		v.Text = fmt.Sprintf("Not quite: this setting has an output: %s, so the output is %dx%d.", m.Formula(), size, size)
	case guess == size:
		v = Verdict{Right: true, Text: fmt.Sprintf("Right: %s, so the output is %dx%d.", m.Formula(), size, size)}
	default:
		v.Text = fmt.Sprintf("Not quite: %s, so the output is %dx%d, not %dx%d.", m.Formula(), size, size, guess, guess)
	}
	m.msg = Message{Text: v.Text, Target: target}
	return v, nil
}

// parseSize reads a predicted output size: "5", "5x5", "5 x 5", "5×5", or a
// word for no output ("none", "no", "impossible", "no output").
func parseSize(text string) (size int, none bool, err error) {
	t := strings.ToLower(strings.TrimSpace(text))
	switch t {
	case "none", "no", "impossible", "no output", "-", "−":
		return 0, true, nil
	case "":
		return 0, false, errors.New("type a size such as 5, or none if the setting has no output")
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == 'x' || r == '×' || r == '*' || r == ' ' })
	var nums []int
	for _, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 || v > 99 {
			return 0, false, fmt.Errorf("%q is not a size: type a whole number such as 5, or none", strings.TrimSpace(text))
		}
		nums = append(nums, v)
	}
	switch {
	case len(nums) == 1:
		return nums[0], false, nil
	case len(nums) == 2 && nums[0] == nums[1]:
		return nums[0], false, nil
	case len(nums) == 2:
		return 0, false, fmt.Errorf("%q: the output here is square, so type one number such as 5", strings.TrimSpace(text))
	}
	return 0, false, fmt.Errorf("%q is not a size: type a whole number such as 5, or none", strings.TrimSpace(text))
}

// Caption is a short text for the current state in the lecture's words,
// with the slides it follows.
type Caption struct {
	Text   string
	Slides []int // slide numbers of Lecture 7, ascending
}

// Caption describes the current state: the setting before the first step,
// the dot product at each cell, the prediction awaited, the finished
// output, or why the shape has no output.
func (m *Sliding) Caption() Caption {
	k := m.k
	multi := m.ChannelsMode()
	if m.out == nil {
		return Caption{Text: fmt.Sprintf("No output: %v. %s", m.sizeErr, m.Suggestion()), Slides: []int{36, 37}}
	}
	o, i, j, ok := m.Position()
	if !ok {
		pad := ""
		switch m.p {
		case 1:
			pad = " with a ring of zero padding"
		case 2:
			pad = " with two rings of zero padding"
		}
		stride := ""
		if m.s > 1 {
			stride = fmt.Sprintf(", moving %d cells at a time (stride %d)", m.s, m.s)
		}
		c := Caption{Slides: []int{13, 31}}
		if multi {
			c.Text = fmt.Sprintf("Input: 3x%dx%d%s; two 3x%dx%d filters: filters always extend the full depth of the input volume. "+
				"Step to slide them over all spatial locations%s, computing dot products.", m.n, m.n, pad, k, k, stride)
			c.Slides = []int{14, 17, 31}
		} else {
			c.Text = fmt.Sprintf("Input: %dx%d%s; filter: %dx%d. Step to slide it over all spatial locations%s, computing dot products.",
				m.n, m.n, pad, k, k, stride)
		}
		if m.p > 0 {
			c.Slides = append(c.Slides, 37)
		}
		return c
	}
	where := fmt.Sprintf("Output (%d,%d)", i, j)
	window, filter := fmt.Sprintf("%dx%d window", k, k), "the filter"
	if multi {
		where = fmt.Sprintf("Filter %d, output (%d,%d)", o, i, j)
		window = fmt.Sprintf("3x%dx%d chunk", k, k)
		filter = fmt.Sprintf("filter %d (a %d-dimensional dot product)", o, 3*k*k)
	}
	if m.asking {
		return Caption{Text: fmt.Sprintf("%s: predict the dot product of the %s with %s, plus bias. Type it, or step to see it.",
			where, window, filter), Slides: []int{15}}
	}
	c := Caption{Text: fmt.Sprintf("%s: dot product of the %s with %s, plus bias.", where, window, filter), Slides: []int{15, 16}}
	if multi {
		c.Slides = []int{15, 17}
	}
	if m.AtEnd() && !slices.Contains(m.seen, false) {
		h := m.out.Shape[1]
		switch {
		case multi:
			c.Text += fmt.Sprintf(" Two activation maps, each 1x%dx%d: stacked, a 2x%dx%d output.", h, h, h, h)
			c.Slides = append(c.Slides, 18, 22)
		case m.p == 0 && m.s == 1 && h < m.n:
			c.Text += fmt.Sprintf(" Output: %dx%d: feature maps shrink, W − K + 1.", h, h)
			c.Slides = append(c.Slides, 35, 36)
		case m.p > 0 && h == m.n:
			c.Text += fmt.Sprintf(" Output: %dx%d: the zero padding keeps the size.", h, h)
			c.Slides = append(c.Slides, 37)
		default:
			c.Text += fmt.Sprintf(" Output: %dx%d, by %s.", h, h, m.Formula())
		}
	}
	slices.Sort(c.Slides)
	c.Slides = slices.Compact(c.Slides)
	return c
}
