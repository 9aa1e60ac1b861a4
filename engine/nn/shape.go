// Package nn holds ConvLab's layers, networks built from a plain-data spec,
// and OutputSize, the single home of the lecture's (W − K + 2P)/S + 1.
package nn

import "fmt"

// OutputSize returns the output width of a convolution or pooling window
// of size k sliding with stride s over an input of width w padded by p
// zeros on each side: (w − k + 2p)/s + 1.
//
// The error explains itself in the lecture's words, with the numbers in
// place, when the result is not a whole number or not positive, e.g.
// "(6 − 3 + 0)/2 + 1 = 2.5 is not a whole number: change padding or stride".
func OutputSize(w, k, p, s int) (int, error) {
	switch {
	case w < 1:
		return 0, fmt.Errorf("input size %d must be at least 1", w)
	case k < 1:
		return 0, fmt.Errorf("kernel size %d must be at least 1", k)
	case p < 0:
		return 0, fmt.Errorf("padding %d must not be negative", p)
	case s < 1:
		return 0, fmt.Errorf("stride %d must be at least 1", s)
	}
	num := w - k + 2*p
	if num < 0 {
		return 0, fmt.Errorf("(%d − %d + %d)/%d + 1 is less than 1: the %dx%d kernel is larger than the %dx%d padded input; use a smaller kernel or more padding",
			w, k, 2*p, s, k, k, w+2*p, w+2*p)
	}
	if num%s != 0 {
		return 0, fmt.Errorf("(%d − %d + %d)/%d + 1 = %s is not a whole number: change padding or stride",
			w, k, 2*p, s, fracString(num, s))
	}
	return num/s + 1, nil
}

// fracString writes num/s + 1 as a short decimal, e.g. 2.5 or 3.333.
func fracString(num, s int) string {
	v := float64(num)/float64(s) + 1
	str := fmt.Sprintf("%.3f", v)
	for str[len(str)-1] == '0' {
		str = str[:len(str)-1]
	}
	if str[len(str)-1] == '.' {
		str = str[:len(str)-1]
	}
	return str
}
