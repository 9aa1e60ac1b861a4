package data_test

import (
	"fmt"
	"strings"
	"testing"

	"convlab/assets"
	"convlab/engine/data"
)

// The first training digit of the shipped subset, drawn in characters
// (rows 4 to 23 of 28; " " is background, "#" full ink).
func ExampleParseMNIST() {
	train, test, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(train.Len(), "training and", test.Len(), "test digits of", train.H, "x", train.W)
	fmt.Println("label", train.Classes[train.Labels[0]])
	for y := 4; y < 24; y++ {
		var b strings.Builder
		for x := 2; x < 26; x++ {
			b.WriteByte(" .:+#"[int(train.Pixels[y*28+x])*5/256])
		}
		fmt.Println(strings.TrimRight(b.String(), " "))
	}
	// Output:
	// 10000 training and 2000 test digits of 28 x 28
	// label 5
	//
	//               ::+ +##:
	//         .++######+##+.
	//       ##########....
	//       ######++##
	//       .+:###   +
	//          +#.
	//          :#+
	//           +#.
	//            ##+:
	//            .###:
	//              +##:
	//               .##+
	//                ###.
	//              :+###
	//            :#####+
	//          :#####+.
	//        .#####+.
	//      +#####+.
	//   .+######:
}

// BenchmarkParseMNIST measures unpacking the shipped subset, which the
// page does once at start.
func BenchmarkParseMNIST(b *testing.B) {
	raw := []byte(assets.MNIST)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, _, err := data.ParseMNIST(raw); err != nil {
			b.Fatal(err)
		}
	}
}
