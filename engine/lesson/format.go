package lesson

import (
	"math"
	"strconv"
	"strings"
)

// Minus is the sign every negative number on screen carries: U+2212, the
// minus of typeset mathematics, which ui.ParseNumber reads back.
const Minus = "−"

// FormatNumber writes v the way every number in ConvLab appears on screen.
// The rule, in order:
//
//   - zero is "0", never "−0";
//   - a value whose shortest decimal form has at most three digits after the
//     point is written exactly, so what a student types comes back
//     unchanged: 0.5, −1, 0.25, 0.125, 42, 1000000;
//   - any other value is rounded to three decimals and its trailing zeros
//     dropped: 1/9 is "0.111", float32 0.7·3 = 2.1000001 is "2.1";
//   - a value that would round to zero but is not zero is written with two
//     significant digits in e-notation, "1.2e−4", so it never reads as 0;
//   - a magnitude of 1e7 or more is written with up to four significant
//     digits in e-notation, "1.235e12";
//   - negatives start with Minus, "−0.5" (no negative value is written
//     as zero, so "−0" never appears);
//   - NaN is "NaN" and the infinities "∞" and "−∞" (the lesson never makes
//     them, but formatting one must not fail).
func FormatNumber(v float32) string {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return Minus + "∞"
	case v == 0:
		return "0"
	}
	mag := math.Abs(f)
	var s string
	switch {
	case mag >= 1e7:
		s = eNotation(mag, 3)
	default:
		s = strconv.FormatFloat(mag, 'f', -1, 32)
		if dot := strings.IndexByte(s, '.'); dot >= 0 && len(s)-dot-1 > 3 {
			s = trimZeros(strconv.FormatFloat(mag, 'f', 3, 64))
			if s == "0" {
				s = eNotation(mag, 1)
			}
		}
	}
	if f < 0 {
		return Minus + s
	}
	return s
}

// eNotation writes a positive mag as "m.mmme±x" with prec digits after the
// point, trailing zeros and the exponent's plus sign and leading zeros
// dropped: 1.2e−4, 1.235e12.
func eNotation(mag float64, prec int) string {
	s := strconv.FormatFloat(mag, 'e', prec, 64) // e.g. 1.200e-04
	mant, exp, _ := strings.Cut(s, "e")
	mant = trimZeros(mant)
	sign := ""
	if exp[0] == '-' {
		sign = Minus
	}
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + sign + exp
}

// trimZeros drops the trailing zeros of a decimal with a point, and the
// point itself if nothing follows it: "2.100" -> "2.1", "3.000" -> "3".
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// factor writes v as a factor of a product: negatives in parentheses, so
// that "1·(−2)" and "(−1)·2" never read as a subtraction.
func factor(v float32) string {
	s := FormatNumber(v)
	if strings.HasPrefix(s, Minus) {
		return "(" + s + ")"
	}
	return s
}

// countWord writes a small count as a word, as one says it ("nine
// products"), and larger counts as digits ("27 products").
func countWord(n int) string {
	words := [...]string{"zero", "one", "two", "three", "four", "five", "six",
		"seven", "eight", "nine", "ten", "eleven", "twelve"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}
