;; WebAssembly SIMD kernels of the float32 training step. On the tfjs wasm backend's own memory
;; (imported, so that tensors are read and written in place): the weight gradient of a product,
;; out = xᵀ·dy, and the bias gradient, out = 1ᵀ·dy (column sums), for row-major x [T, k] and
;; dy [T, n]. tfjs computes both with matMul: xᵀ·dy needs an explicit transpose of x (or of dy and
;; of the result), and XNNPACK repacks its right operand on every call, which for dy [4096, 2048]
;; costs three times the arithmetic (src/training/products.ts). The fused trainer, which gives the
;; module a memory of its own (src/training/float-space.ts), also uses the plain product out = a·b:
;; the same tiles, the rows of a as the tile's rows.
;;
;; Compiled by scripts/build-wasm.mjs (wabt) into products.generated.ts; `build-wasm.mjs --check`
;; (run by test/model/attention-kernels.test.ts) recompiles this file and compares the committed bytes.
;;
;; Bit-for-bit rule: every output is XNNPACK's: acc = +0, then acc = acc + x[t][i]·dy[t][j] for
;; t = 0, 1, …, T − 1 in order (mul, then add: two roundings, no fusion). Lanes of an f32x4 are four
;; outputs j of one row i; the tile shape (4 × 8, 4 × 4, 1 × 8, 1 × 4, 1 × 1) changes no output's
;; order of operations, nor does storing an accumulator to out between blocks of rows t and
;; loading it back (float32 both ways), nor does starting the first block's accumulators at +0 in
;; registers instead of zeroing out beforehand and loading it (a pass over out saved: 32 MB for
;; the paper layer's MLP). Byte offsets into the imported memory; strides in bytes.
(module
  (import "env" "memory" (memory 1))

  ;; out[a][b] += Σ_t x[t][a]·dy[t][b], a < 4, b < 8, t < T: $x at x[t0][i], $dy at dy[t0][j],
  ;; $out at out[i][j] (the accumulators start from out's values, or from +0 when $fresh).
  (func $tile4x8 (param $x i32) (param $dy i32) (param $out i32) (param $T i32)
    (param $xs i32) (param $ds i32) (param $os i32) (param $as i32) (param $fresh i32)
    (local $end i32) (local $as2 i32) (local $as3 i32) (local $v0 v128) (local $v1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (if (i32.eqz (local.get $fresh))
      (then
        (local.set $c00 (v128.load (local.get $out)))
        (local.set $c01 (v128.load offset=16 (local.get $out)))
        (local.set $c10 (v128.load (i32.add (local.get $out) (local.get $os))))
        (local.set $c11 (v128.load offset=16 (i32.add (local.get $out) (local.get $os))))
        (local.set $c20 (v128.load (i32.add (local.get $out) (i32.shl (local.get $os) (i32.const 1)))))
        (local.set $c21 (v128.load offset=16 (i32.add (local.get $out) (i32.shl (local.get $os) (i32.const 1)))))
        (local.set $c30 (v128.load (i32.add (local.get $out) (i32.mul (local.get $os) (i32.const 3)))))
        (local.set $c31 (v128.load offset=16 (i32.add (local.get $out) (i32.mul (local.get $os) (i32.const 3)))))))
    (local.set $as2 (i32.shl (local.get $as) (i32.const 1)))
    (local.set $as3 (i32.add (local.get $as2) (local.get $as)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $T) (local.get $xs))))
    (block $done
      (loop $t
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v0 (v128.load (local.get $dy)))
        (local.set $v1 (v128.load offset=16 (local.get $dy)))
        (local.set $s (v128.load32_splat (local.get $x)))
        (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $x) (local.get $as))))
        (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $x) (local.get $as2))))
        (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $x) (local.get $as3))))
        (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $x (i32.add (local.get $x) (local.get $xs)))
        (local.set $dy (i32.add (local.get $dy) (local.get $ds)))
        (br $t)))
    (v128.store (local.get $out) (local.get $c00))
    (v128.store offset=16 (local.get $out) (local.get $c01))
    (local.set $out (i32.add (local.get $out) (local.get $os)))
    (v128.store (local.get $out) (local.get $c10))
    (v128.store offset=16 (local.get $out) (local.get $c11))
    (local.set $out (i32.add (local.get $out) (local.get $os)))
    (v128.store (local.get $out) (local.get $c20))
    (v128.store offset=16 (local.get $out) (local.get $c21))
    (local.set $out (i32.add (local.get $out) (local.get $os)))
    (v128.store (local.get $out) (local.get $c30))
    (v128.store offset=16 (local.get $out) (local.get $c31)))

  ;; As $tile4x8 with 4 columns.
  (func $tile4x4 (param $x i32) (param $dy i32) (param $out i32) (param $T i32)
    (param $xs i32) (param $ds i32) (param $os i32) (param $as i32) (param $fresh i32)
    (local $end i32) (local $as2 i32) (local $as3 i32) (local $v0 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (if (i32.eqz (local.get $fresh))
      (then
        (local.set $c0 (v128.load (local.get $out)))
        (local.set $c1 (v128.load (i32.add (local.get $out) (local.get $os))))
        (local.set $c2 (v128.load (i32.add (local.get $out) (i32.shl (local.get $os) (i32.const 1)))))
        (local.set $c3 (v128.load (i32.add (local.get $out) (i32.mul (local.get $os) (i32.const 3)))))))
    (local.set $as2 (i32.shl (local.get $as) (i32.const 1)))
    (local.set $as3 (i32.add (local.get $as2) (local.get $as)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $T) (local.get $xs))))
    (block $done
      (loop $t
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v0 (v128.load (local.get $dy)))
        (local.set $c0 (f32x4.add (local.get $c0)
          (f32x4.mul (v128.load32_splat (local.get $x)) (local.get $v0))))
        (local.set $c1 (f32x4.add (local.get $c1)
          (f32x4.mul (v128.load32_splat (i32.add (local.get $x) (local.get $as))) (local.get $v0))))
        (local.set $c2 (f32x4.add (local.get $c2)
          (f32x4.mul (v128.load32_splat (i32.add (local.get $x) (local.get $as2))) (local.get $v0))))
        (local.set $c3 (f32x4.add (local.get $c3)
          (f32x4.mul (v128.load32_splat (i32.add (local.get $x) (local.get $as3))) (local.get $v0))))
        (local.set $x (i32.add (local.get $x) (local.get $xs)))
        (local.set $dy (i32.add (local.get $dy) (local.get $ds)))
        (br $t)))
    (v128.store (local.get $out) (local.get $c0))
    (local.set $out (i32.add (local.get $out) (local.get $os)))
    (v128.store (local.get $out) (local.get $c1))
    (local.set $out (i32.add (local.get $out) (local.get $os)))
    (v128.store (local.get $out) (local.get $c2))
    (local.set $out (i32.add (local.get $out) (local.get $os)))
    (v128.store (local.get $out) (local.get $c3)))

  ;; As $tile4x8 with 1 row.
  (func $tile1x8 (param $x i32) (param $dy i32) (param $out i32) (param $T i32)
    (param $xs i32) (param $ds i32) (param $fresh i32)
    (local $end i32) (local $s v128) (local $c0 v128) (local $c1 v128)
    (if (i32.eqz (local.get $fresh))
      (then
        (local.set $c0 (v128.load (local.get $out)))
        (local.set $c1 (v128.load offset=16 (local.get $out)))))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $T) (local.get $xs))))
    (block $done
      (loop $t
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (v128.load32_splat (local.get $x)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $dy)))))
        (local.set $c1 (f32x4.add (local.get $c1)
          (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $dy)))))
        (local.set $x (i32.add (local.get $x) (local.get $xs)))
        (local.set $dy (i32.add (local.get $dy) (local.get $ds)))
        (br $t)))
    (v128.store (local.get $out) (local.get $c0))
    (v128.store offset=16 (local.get $out) (local.get $c1)))

  ;; As $tile4x8 with 1 row and 4 columns.
  (func $tile1x4 (param $x i32) (param $dy i32) (param $out i32) (param $T i32)
    (param $xs i32) (param $ds i32) (param $fresh i32)
    (local $end i32) (local $c0 v128)
    (if (i32.eqz (local.get $fresh)) (then (local.set $c0 (v128.load (local.get $out)))))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $T) (local.get $xs))))
    (block $done
      (loop $t
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $c0 (f32x4.add (local.get $c0)
          (f32x4.mul (v128.load32_splat (local.get $x)) (v128.load (local.get $dy)))))
        (local.set $x (i32.add (local.get $x) (local.get $xs)))
        (local.set $dy (i32.add (local.get $dy) (local.get $ds)))
        (br $t)))
    (v128.store (local.get $out) (local.get $c0)))

  ;; One output: out += Σ_t x[t][i]·dy[t][j] in scalar f32.
  (func $dot (param $x i32) (param $dy i32) (param $out i32) (param $T i32)
    (param $xs i32) (param $ds i32) (param $fresh i32)
    (local $end i32) (local $c f32)
    (if (i32.eqz (local.get $fresh)) (then (local.set $c (f32.load (local.get $out)))))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $T) (local.get $xs))))
    (block $done
      (loop $t
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $c (f32.add (local.get $c) (f32.mul (f32.load (local.get $x)) (f32.load (local.get $dy)))))
        (local.set $x (i32.add (local.get $x) (local.get $xs)))
        (local.set $dy (i32.add (local.get $dy) (local.get $ds)))
        (br $t)))
    (f32.store (local.get $out) (local.get $c)))

  ;; Adds rows [t0, t0 + T) of one tile's sum to out[i..i+h][j..j+w] (h ∈ {4, 1}, w ∈ {8, 4, 1}):
  ;; $x and $dy point at row t0, column 0; output row i reads x from $x + i·$as.
  (func $tile (param $x i32) (param $dy i32) (param $out i32) (param $T i32)
    (param $xs i32) (param $ds i32) (param $i i32) (param $j i32) (param $h i32) (param $w i32) (param $as i32)
    (param $fresh i32)
    (local $a i32)
    (local.set $x (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $as))))
    (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $j) (i32.const 2))))
    (local.set $out (i32.add (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $ds)))
      (i32.shl (local.get $j) (i32.const 2))))
    (if (i32.eq (local.get $h) (i32.const 4))
      (then
        (if (i32.eq (local.get $w) (i32.const 8))
          (then
            (call $tile4x8 (local.get $x) (local.get $dy) (local.get $out) (local.get $T)
              (local.get $xs) (local.get $ds) (local.get $ds) (local.get $as) (local.get $fresh))
            (return)))
        (if (i32.eq (local.get $w) (i32.const 4))
          (then
            (call $tile4x4 (local.get $x) (local.get $dy) (local.get $out) (local.get $T)
              (local.get $xs) (local.get $ds) (local.get $ds) (local.get $as) (local.get $fresh))
            (return)))
        (local.set $a (i32.const 0))
        (block $aDone
          (loop $rowsOfTile
            (br_if $aDone (i32.ge_u (local.get $a) (i32.const 4)))
            (call $dot (i32.add (local.get $x) (i32.mul (local.get $a) (local.get $as))) (local.get $dy)
              (i32.add (local.get $out) (i32.mul (local.get $a) (local.get $ds)))
              (local.get $T) (local.get $xs) (local.get $ds) (local.get $fresh))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $rowsOfTile)))
        (return)))
    (if (i32.eq (local.get $w) (i32.const 8))
      (then
        (call $tile1x8 (local.get $x) (local.get $dy) (local.get $out) (local.get $T)
          (local.get $xs) (local.get $ds) (local.get $fresh))
        (return)))
    (if (i32.eq (local.get $w) (i32.const 4))
      (then
        (call $tile1x4 (local.get $x) (local.get $dy) (local.get $out) (local.get $T)
          (local.get $xs) (local.get $ds) (local.get $fresh))
        (return)))
    (call $dot (local.get $x) (local.get $dy) (local.get $out) (local.get $T) (local.get $xs) (local.get $ds)
      (local.get $fresh)))

  ;; The height of the row block at i (4 while 4 rows remain, then 1) and the width of the
  ;; column block at j (8, then 4, then 1).
  (func $height (param $i i32) (param $k i32) (result i32)
    (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $k))))
  (func $width (param $j i32) (param $n i32) (result i32)
    (if (result i32) (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $n))
      (then (i32.const 8))
      (else (select (i32.const 4) (i32.const 1) (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n))))))

  ;; out [k, n] += Σ_t X(i, t)·dy[t][j] over t < T, where X(i, t) lies at $x + t·$xs + i·$as and
  ;; dy [T, n] is row-major. The rows t go in blocks of 64, each added to every tile of out in
  ;; turn (so the order over t stays 0, 1, …, T − 1): a block's rows of both operands stay in the
  ;; first-level cache while the tiles sweep them, the tiles of the wider side in the outer loop.
  ;; With $fresh, out's prior values are ignored: out = Σ_t ….
  (func $blocked
    (param $x i32) (param $dy i32) (param $out i32) (param $T i32) (param $k i32) (param $n i32)
    (param $xs i32) (param $as i32) (param $fresh i32)
    (local $ds i32) (local $t0 i32) (local $rows i32) (local $xb i32) (local $dyb i32)
    (local $i i32) (local $j i32) (local $h i32) (local $w i32)
    (local.set $ds (i32.shl (local.get $n) (i32.const 2)))
    ;; With no rows no tile runs: a fresh out is then all zeros.
    (if (i32.and (local.get $fresh) (i32.eqz (local.get $T)))
      (then (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $k) (local.get $ds)))))
    (local.set $t0 (i32.const 0))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $t0) (local.get $T)))
        (local.set $rows (i32.sub (local.get $T) (local.get $t0)))
        (if (i32.gt_u (local.get $rows) (i32.const 64)) (then (local.set $rows (i32.const 64))))
        (local.set $xb (i32.add (local.get $x) (i32.mul (local.get $t0) (local.get $xs))))
        (local.set $dyb (i32.add (local.get $dy) (i32.mul (local.get $t0) (local.get $ds))))
        (if (i32.ge_u (local.get $n) (local.get $k))
          (then
            ;; Column blocks outer: dy's block of rows is read once, x's (narrower) reused.
            (local.set $j (i32.const 0))
            (block $jDone
              (loop $js
                (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $w (call $width (local.get $j) (local.get $n)))
                (local.set $i (i32.const 0))
                (block $iDone
                  (loop $is
                    (br_if $iDone (i32.ge_u (local.get $i) (local.get $k)))
                    (local.set $h (call $height (local.get $i) (local.get $k)))
                    (call $tile (local.get $xb) (local.get $dyb) (local.get $out) (local.get $rows)
                      (local.get $xs) (local.get $ds) (local.get $i) (local.get $j) (local.get $h) (local.get $w)
                      (local.get $as) (i32.and (local.get $fresh) (i32.eqz (local.get $t0))))
                    (local.set $i (i32.add (local.get $i) (local.get $h)))
                    (br $is)))
                (local.set $j (i32.add (local.get $j) (local.get $w)))
                (br $js))))
          (else
            ;; Row blocks outer: x's block of rows is read once, dy's (narrower) reused.
            (local.set $i (i32.const 0))
            (block $iDone
              (loop $is
                (br_if $iDone (i32.ge_u (local.get $i) (local.get $k)))
                (local.set $h (call $height (local.get $i) (local.get $k)))
                (local.set $j (i32.const 0))
                (block $jDone
                  (loop $js
                    (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
                    (local.set $w (call $width (local.get $j) (local.get $n)))
                    (call $tile (local.get $xb) (local.get $dyb) (local.get $out) (local.get $rows)
                      (local.get $xs) (local.get $ds) (local.get $i) (local.get $j) (local.get $h) (local.get $w)
                      (local.get $as) (i32.and (local.get $fresh) (i32.eqz (local.get $t0))))
                    (local.set $j (i32.add (local.get $j) (local.get $w)))
                    (br $js)))
                (local.set $i (i32.add (local.get $i) (local.get $h)))
                (br $is)))))
        (local.set $t0 (i32.add (local.get $t0) (local.get $rows)))
        (br $blocks))))

  ;; out [k, n] = xᵀ·dy for x [T, k], dy [T, n], all row-major float32.
  (func (export "transposedProduct")
    (param $x i32) (param $dy i32) (param $out i32) (param $T i32) (param $k i32) (param $n i32)
    (call $blocked (local.get $x) (local.get $dy) (local.get $out) (local.get $T) (local.get $k) (local.get $n)
      (i32.shl (local.get $k) (i32.const 2)) (i32.const 4) (i32.const 1)))

  ;; Rows [i0, i1) of out [k, n] = xᵀ·dy (the columns i0 … i1 − 1 of x): a thread's share of
  ;; transposedProduct, each output summed exactly as there.
  (func (export "transposedProductRows")
    (param $x i32) (param $dy i32) (param $out i32) (param $T i32) (param $k i32) (param $n i32)
    (param $i0 i32) (param $i1 i32)
    (local $o i32)
    (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $i0) (local.get $n)) (i32.const 2))))
    (call $blocked (i32.add (local.get $x) (i32.shl (local.get $i0) (i32.const 2))) (local.get $dy) (local.get $o)
      (local.get $T) (i32.sub (local.get $i1) (local.get $i0)) (local.get $n)
      (i32.shl (local.get $k) (i32.const 2)) (i32.const 4) (i32.const 1)))

  ;; out [m, n] = a·b (or out += a·b when $accumulate ≠ 0) for a [m, k], b [k, n], row-major
  ;; float32: the fused trainer's forward products and, with b a transposed weight, its dx.
  (func (export "product")
    (param $a i32) (param $b i32) (param $out i32) (param $m i32) (param $k i32) (param $n i32)
    (param $accumulate i32)
    (call $blocked (local.get $a) (local.get $b) (local.get $out) (local.get $k) (local.get $m) (local.get $n)
      (i32.const 4) (i32.shl (local.get $k) (i32.const 2)) (i32.eqz (local.get $accumulate))))

  ;; out [n] = Σ_t dy[t][·] for dy [T, n] (1ᵀ·dy: 1·dy[t][j] = dy[t][j] exactly, so the
  ;; products the matMul would form are skipped without changing a bit), row by row: each output
  ;; still adds t = 0, 1, …, T − 1 in order, and dy is read as it lies.
  (func (export "columnSums") (param $dy i32) (param $out i32) (param $T i32) (param $n i32)
    (local $n4 i32) (local $ds i32) (local $end i32) (local $j i32) (local $p i32) (local $o i32)
    (local.set $ds (i32.shl (local.get $n) (i32.const 2)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $ds))
    (local.set $end (i32.add (local.get $dy) (i32.mul (local.get $T) (local.get $ds))))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $dy) (local.get $end)))
        (local.set $j (i32.const 0))
        (block $cols4Done
          (loop $cols4
            (br_if $cols4Done (i32.ge_u (local.get $j) (local.get $n4)))
            (local.set $p (i32.shl (local.get $j) (i32.const 2)))
            (local.set $o (i32.add (local.get $out) (local.get $p)))
            (v128.store (local.get $o)
              (f32x4.add (v128.load (local.get $o)) (v128.load (i32.add (local.get $dy) (local.get $p)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols4)))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $p (i32.shl (local.get $j) (i32.const 2)))
            (local.set $o (i32.add (local.get $out) (local.get $p)))
            (f32.store (local.get $o)
              (f32.add (f32.load (local.get $o)) (f32.load (i32.add (local.get $dy) (local.get $p)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $dy (i32.add (local.get $dy) (local.get $ds)))
        (br $rows)))))
