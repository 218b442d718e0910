;; WebAssembly SIMD kernels of the float64 attention evaluator (called by
;; src/model/kernels/wasm-kernels.ts): the value product, the query-side matrix–vector products of
;; the scores (Q_hᵀy, or K_hQ_hᵀy), the scores of the ordinary heads for a block of instances, and
;; the weighted contexts z_h = Σ_i a_{h,i} x_i. (The normalisation of the scores into weights needs
;; exp and stays in TypeScript, between the calls blockScores and blockContexts.)
;;
;; Compiled by scripts/build-wasm.mjs (wabt) into kernels.generated.ts, which holds the bytes;
;; test/model/attention-kernels.test.ts recompiles this file and checks that they match.
;;
;; Bit-for-bit rule: every output is computed with exactly the operations, in exactly the order,
;; of the TypeScript reference kernel (src/model/kernels/ts-kernels.ts). Lanes of an f64x2 are two
;; instances of one tile, so a lane performs the scalar kernel's arithmetic on its own instance:
;; acc = 0, then acc += v·z over the columns j of a column block in increasing order (mul, then
;; add: two roundings, no fusion, as in JavaScript), then out += acc once per column block. The
;; number of rows per register tile does not change any output's order of operations, so it is
;; free (4 here, 2 in the TypeScript kernel). All addresses are byte offsets into the module's own
;; memory.
(module
  (memory (export "memory") 1)

  ;; out[dst] += lane 0 of x0, out[dst + d8] += lane 1 of x0, out[dst + 2·d8] += lane 0 of x1,
  ;; out[dst + 3·d8] += lane 1 of x1: one output row k of the four instances of a tile.
  (func $accumulate (param $dst i32) (param $d8 i32) (param $x0 v128) (param $x1 v128)
    (f64.store (local.get $dst)
      (f64.add (f64.load (local.get $dst)) (f64x2.extract_lane 0 (local.get $x0))))
    (local.set $dst (i32.add (local.get $dst) (local.get $d8)))
    (f64.store (local.get $dst)
      (f64.add (f64.load (local.get $dst)) (f64x2.extract_lane 1 (local.get $x0))))
    (local.set $dst (i32.add (local.get $dst) (local.get $d8)))
    (f64.store (local.get $dst)
      (f64.add (f64.load (local.get $dst)) (f64x2.extract_lane 0 (local.get $x1))))
    (local.set $dst (i32.add (local.get $dst) (local.get $d8)))
    (f64.store (local.get $dst)
      (f64.add (f64.load (local.get $dst)) (f64x2.extract_lane 1 (local.get $x1)))))

  ;; out_t += [V_1 … V_H] z_t for the instances of `groups` tiles of 4.
  ;;   $V:   d × HD, row-major (HD = H·d).
  ;;   $z:   groups × HD × 4, z[g·HD·4 + j·4 + t] (16-byte aligned).
  ;;   $out: groups × 4 × d, instance-major; every lane is written, padding instances included.
  (func (export "valueProduct")
    (param $V i32) (param $z i32) (param $out i32) (param $d i32) (param $HD i32) (param $groups i32)
    (local $rs i32) (local $rs2 i32) (local $rs3 i32) (local $d8 i32)
    (local $jb i32) (local $je i32) (local $g i32) (local $zb i32) (local $o i32) (local $k i32)
    (local $vp i32) (local $zp i32) (local $zend i32)
    (local $z01 v128) (local $z23 v128) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $c0 v128) (local $c1 v128) (local $e0 v128) (local $e1 v128)
    (local.set $rs (i32.shl (local.get $HD) (i32.const 3)))
    (local.set $rs2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $rs3 (i32.add (local.get $rs2) (local.get $rs)))
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $jb (i32.const 0))
    (block $columnsDone
      (loop $columns
        (br_if $columnsDone (i32.ge_u (local.get $jb) (local.get $HD)))
        ;; je = min(HD, jb + 256)
        (local.set $je (i32.add (local.get $jb) (i32.const 256)))
        (if (i32.gt_u (local.get $je) (local.get $HD)) (then (local.set $je (local.get $HD))))
        (local.set $g (i32.const 0))
        (block $groupsDone
          (loop $groupLoop
            (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
            ;; zb = z + g·HD·32, o = out + g·4·d·8
            (local.set $zb (i32.add (local.get $z) (i32.mul (local.get $g) (i32.shl (local.get $rs) (i32.const 2)))))
            (local.set $o (i32.add (local.get $out) (i32.mul (local.get $g) (i32.shl (local.get $d8) (i32.const 2)))))
            (local.set $zend (i32.add (local.get $zb) (i32.shl (local.get $je) (i32.const 5))))
            (local.set $k (i32.const 0))
            ;; Rows k .. k+3.
            (block $rows4Done
              (loop $rows4
                (br_if $rows4Done (i32.ge_u (i32.add (local.get $k) (i32.const 3)) (local.get $d)))
                (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
                (local.set $b0 (v128.const f64x2 0 0)) (local.set $b1 (v128.const f64x2 0 0))
                (local.set $c0 (v128.const f64x2 0 0)) (local.set $c1 (v128.const f64x2 0 0))
                (local.set $e0 (v128.const f64x2 0 0)) (local.set $e1 (v128.const f64x2 0 0))
                (local.set $vp (i32.add (local.get $V)
                  (i32.shl (i32.add (i32.mul (local.get $k) (local.get $HD)) (local.get $jb)) (i32.const 3))))
                (local.set $zp (i32.add (local.get $zb) (i32.shl (local.get $jb) (i32.const 5))))
                (block $jDone
                  (loop $j
                    (br_if $jDone (i32.ge_u (local.get $zp) (local.get $zend)))
                    (local.set $z01 (v128.load (local.get $zp)))
                    (local.set $z23 (v128.load offset=16 (local.get $zp)))
                    (local.set $v (v128.load64_splat (local.get $vp)))
                    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (local.get $z01))))
                    (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (local.get $z23))))
                    (local.set $v (v128.load64_splat (i32.add (local.get $vp) (local.get $rs))))
                    (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $v) (local.get $z01))))
                    (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $v) (local.get $z23))))
                    (local.set $v (v128.load64_splat (i32.add (local.get $vp) (local.get $rs2))))
                    (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $v) (local.get $z01))))
                    (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $v) (local.get $z23))))
                    (local.set $v (v128.load64_splat (i32.add (local.get $vp) (local.get $rs3))))
                    (local.set $e0 (f64x2.add (local.get $e0) (f64x2.mul (local.get $v) (local.get $z01))))
                    (local.set $e1 (f64x2.add (local.get $e1) (f64x2.mul (local.get $v) (local.get $z23))))
                    (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
                    (local.set $zp (i32.add (local.get $zp) (i32.const 32)))
                    (br $j)))
                (call $accumulate (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3)))
                  (local.get $d8) (local.get $a0) (local.get $a1))
                (call $accumulate (i32.add (local.get $o) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3)))
                  (local.get $d8) (local.get $b0) (local.get $b1))
                (call $accumulate (i32.add (local.get $o) (i32.shl (i32.add (local.get $k) (i32.const 2)) (i32.const 3)))
                  (local.get $d8) (local.get $c0) (local.get $c1))
                (call $accumulate (i32.add (local.get $o) (i32.shl (i32.add (local.get $k) (i32.const 3)) (i32.const 3)))
                  (local.get $d8) (local.get $e0) (local.get $e1))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $rows4)))
            ;; Rows k, k+1 (d mod 4 ≥ 2).
            (if (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $d))
              (then
                (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
                (local.set $b0 (v128.const f64x2 0 0)) (local.set $b1 (v128.const f64x2 0 0))
                (local.set $vp (i32.add (local.get $V)
                  (i32.shl (i32.add (i32.mul (local.get $k) (local.get $HD)) (local.get $jb)) (i32.const 3))))
                (local.set $zp (i32.add (local.get $zb) (i32.shl (local.get $jb) (i32.const 5))))
                (block $jDone
                  (loop $j
                    (br_if $jDone (i32.ge_u (local.get $zp) (local.get $zend)))
                    (local.set $z01 (v128.load (local.get $zp)))
                    (local.set $z23 (v128.load offset=16 (local.get $zp)))
                    (local.set $v (v128.load64_splat (local.get $vp)))
                    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (local.get $z01))))
                    (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (local.get $z23))))
                    (local.set $v (v128.load64_splat (i32.add (local.get $vp) (local.get $rs))))
                    (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $v) (local.get $z01))))
                    (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $v) (local.get $z23))))
                    (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
                    (local.set $zp (i32.add (local.get $zp) (i32.const 32)))
                    (br $j)))
                (call $accumulate (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3)))
                  (local.get $d8) (local.get $a0) (local.get $a1))
                (call $accumulate (i32.add (local.get $o) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3)))
                  (local.get $d8) (local.get $b0) (local.get $b1))
                (local.set $k (i32.add (local.get $k) (i32.const 2)))))
            ;; Row k (d odd).
            (if (i32.lt_u (local.get $k) (local.get $d))
              (then
                (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
                (local.set $vp (i32.add (local.get $V)
                  (i32.shl (i32.add (i32.mul (local.get $k) (local.get $HD)) (local.get $jb)) (i32.const 3))))
                (local.set $zp (i32.add (local.get $zb) (i32.shl (local.get $jb) (i32.const 5))))
                (block $jDone
                  (loop $j
                    (br_if $jDone (i32.ge_u (local.get $zp) (local.get $zend)))
                    (local.set $v (v128.load64_splat (local.get $vp)))
                    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load (local.get $zp)))))
                    (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $zp)))))
                    (local.set $vp (i32.add (local.get $vp) (i32.const 8)))
                    (local.set $zp (i32.add (local.get $zp) (i32.const 32)))
                    (br $j)))
                (call $accumulate (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3)))
                  (local.get $d8) (local.get $a0) (local.get $a1))))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $groupLoop)))
        (local.set $jb (i32.add (local.get $jb) (i32.const 256)))
        (br $columns))))
  ;; out[c] = ⟨A row c, y⟩ for c < rows (A: rows × n, row-major; rows need no alignment), each
  ;; with the operations of dot() in src/core/vector.ts: four partial sums s0..s3 over k ≡ 0..3
  ;; (mod 4), here the lanes of (s0, s1) and (s2, s3); the tail (the last n mod 4 terms) added to s0; then
  ;; (s0 + s1) + (s2 + s3).
  (func $matVec (export "matVec") (param $A i32) (param $y i32) (param $out i32) (param $rows i32) (param $n i32)
    (local $c i32) (local $ap i32) (local $yp i32) (local $main i32) (local $end i32)
    (local $s01 v128) (local $s23 v128) (local $s0 f64)
    (local.set $main (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
    (local.set $ap (local.get $A))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $c) (local.get $rows)))
        (local.set $s01 (v128.const f64x2 0 0))
        (local.set $s23 (v128.const f64x2 0 0))
        (local.set $yp (local.get $y))
        (local.set $end (i32.add (local.get $y) (local.get $main)))
        (block $mainDone
          (loop $mainLoop
            (br_if $mainDone (i32.ge_u (local.get $yp) (local.get $end)))
            (local.set $s01 (f64x2.add (local.get $s01)
              (f64x2.mul (v128.load (local.get $ap)) (v128.load (local.get $yp)))))
            (local.set $s23 (f64x2.add (local.get $s23)
              (f64x2.mul (v128.load offset=16 (local.get $ap)) (v128.load offset=16 (local.get $yp)))))
            (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
            (local.set $yp (i32.add (local.get $yp) (i32.const 32)))
            (br $mainLoop)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
        (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 3))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $yp) (local.get $end)))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $ap)) (f64.load (local.get $yp)))))
            (local.set $ap (i32.add (local.get $ap) (i32.const 8)))
            (local.set $yp (i32.add (local.get $yp) (i32.const 8)))
            (br $tail)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 3)))
          (f64.add
            (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
            (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $rowLoop))))

  ;; ⟨a[0..n), b[0..n)⟩ with the operations of dot() (as matVec: lanes (s0, s1) and (s2, s3), the
  ;; tail into s0, then (s0 + s1) + (s2 + s3)). No alignment needed.
  (func $dot (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $end i32) (local $tailEnd i32) (local $s01 v128) (local $s23 v128) (local $s0 f64)
    (local.set $end (i32.add (local.get $b) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (local.set $tailEnd (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 3))))
    (block $mainDone
      (loop $mainLoop
        (br_if $mainDone (i32.ge_u (local.get $b) (local.get $end)))
        (local.set $s01 (f64x2.add (local.get $s01)
          (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $s23 (f64x2.add (local.get $s23)
          (f64x2.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $mainLoop)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $s01)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $b) (local.get $tailEnd)))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $tail)))
    (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $s01)))
      (f64.add (f64x2.extract_lane 0 (local.get $s23)) (f64x2.extract_lane 1 (local.get $s23)))))

  ;; Scores s_{h,i} of the ordinary heads for `count` instances (the loops of weightedContexts).
  ;;   $table:  per head three i32: kind (0: K_hQ_hᵀ precomputed, at A; 1: few points; 2: many
  ;;            points, both with Q_hᵀ at A and K_hᵀ at B; 3: generalized, skipped), A, B.
  ;;   $y:      count × d queries; instance t's contexts start at x + floor((phase + t)/m)·n·d·8.
  ;;   $scores: count × H × n, scores[(t·H + h)·n + i]; $p (r) and $u (d): scratch.
  (func (export "blockScores")
    (param $table i32) (param $H i32) (param $y i32) (param $x i32) (param $scores i32)
    (param $p i32) (param $u i32) (param $count i32) (param $m i32) (param $phase i32)
    (param $n i32) (param $d i32) (param $r i32)
    (local $t i32) (local $h i32) (local $i i32) (local $c i32) (local $k i32)
    (local $d8 i32) (local $nd8 i32) (local $yp i32) (local $xb i32) (local $xp i32) (local $sp i32)
    (local $entry i32) (local $kind i32) (local $A i32) (local $B i32) (local $row i32) (local $end i32)
    (local $s f64) (local $pc f64) (local $pv v128)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $nd8 (i32.mul (local.get $n) (local.get $d8)))
    (local.set $sp (local.get $scores))
    (block $instancesDone
      (loop $instances
        (br_if $instancesDone (i32.ge_u (local.get $t) (local.get $count)))
        (local.set $yp (i32.add (local.get $y) (i32.mul (local.get $t) (local.get $d8))))
        (local.set $xb (i32.add (local.get $x)
          (i32.mul (i32.div_u (i32.add (local.get $phase) (local.get $t)) (local.get $m)) (local.get $nd8))))
        (local.set $h (i32.const 0))
        (block $headsDone
          (loop $heads
            (br_if $headsDone (i32.ge_u (local.get $h) (local.get $H)))
            (local.set $entry (i32.add (local.get $table) (i32.mul (local.get $h) (i32.const 12))))
            (local.set $kind (i32.load (local.get $entry)))
            (local.set $A (i32.load offset=4 (local.get $entry)))
            (local.set $B (i32.load offset=8 (local.get $entry)))
            (if (i32.eqz (local.get $kind))
              (then
                ;; u = (K_hQ_hᵀ) y, s_i = ⟨u, x_i⟩.
                (call $matVec (local.get $A) (local.get $yp) (local.get $u) (local.get $d) (local.get $d))
                (local.set $i (i32.const 0))
                (local.set $xp (local.get $xb))
                (block $pointsDone
                  (loop $points
                    (br_if $pointsDone (i32.ge_u (local.get $i) (local.get $n)))
                    (f64.store (i32.add (local.get $sp) (i32.shl (local.get $i) (i32.const 3)))
                      (call $dot (local.get $u) (local.get $xp) (local.get $d)))
                    (local.set $xp (i32.add (local.get $xp) (local.get $d8)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $points)))))
            (if (i32.eq (local.get $kind) (i32.const 1))
              (then
                ;; p = Q_hᵀ y; s_i = 0 + p_0⟨K_hᵀ row 0, x_i⟩ + … + p_{r−1}⟨K_hᵀ row r−1, x_i⟩.
                (call $matVec (local.get $A) (local.get $yp) (local.get $p) (local.get $r) (local.get $d))
                (local.set $i (i32.const 0))
                (local.set $xp (local.get $xb))
                (block $pointsDone
                  (loop $points
                    (br_if $pointsDone (i32.ge_u (local.get $i) (local.get $n)))
                    (local.set $s (f64.const 0))
                    (local.set $c (i32.const 0))
                    (local.set $row (local.get $B))
                    (block $rowsDone
                      (loop $rows
                        (br_if $rowsDone (i32.ge_u (local.get $c) (local.get $r)))
                        (local.set $s (f64.add (local.get $s)
                          (f64.mul
                            (f64.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 3))))
                            (call $dot (local.get $row) (local.get $xp) (local.get $d)))))
                        (local.set $row (i32.add (local.get $row) (local.get $d8)))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))
                        (br $rows)))
                    (f64.store (i32.add (local.get $sp) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
                    (local.set $xp (i32.add (local.get $xp) (local.get $d8)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $points)))))
            (if (i32.eq (local.get $kind) (i32.const 2))
              (then
                ;; p = Q_hᵀ y; u = K_h p: u[k] = K_hᵀ[0][k]·p_0, then u[k] += K_hᵀ[c][k]·p_c for
                ;; c = 1 .. r−1 (elementwise, so two k per f64x2); s_i = ⟨u, x_i⟩.
                (call $matVec (local.get $A) (local.get $yp) (local.get $p) (local.get $r) (local.get $d))
                (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $d) (i32.const -2)) (i32.const 3))))
                (local.set $pv (v128.load64_splat (local.get $p)))
                (local.set $row (local.get $B))
                (local.set $k (local.get $u))
                (block $kDone
                  (loop $kLoop
                    (br_if $kDone (i32.ge_u (local.get $k) (local.get $end)))
                    (v128.store (local.get $k) (f64x2.mul (v128.load (local.get $row)) (local.get $pv)))
                    (local.set $row (i32.add (local.get $row) (i32.const 16)))
                    (local.set $k (i32.add (local.get $k) (i32.const 16)))
                    (br $kLoop)))
                (if (i32.and (local.get $d) (i32.const 1))
                  (then (f64.store (local.get $k)
                    (f64.mul (f64.load (local.get $row)) (f64.load (local.get $p))))))
                (local.set $c (i32.const 1))
                (block $rowsDone
                  (loop $rows
                    (br_if $rowsDone (i32.ge_u (local.get $c) (local.get $r)))
                    (local.set $pc (f64.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 3)))))
                    (local.set $pv (f64x2.splat (local.get $pc)))
                    (local.set $row (i32.add (local.get $B) (i32.mul (local.get $c) (local.get $d8))))
                    (local.set $k (local.get $u))
                    (block $kDone
                      (loop $kLoop
                        (br_if $kDone (i32.ge_u (local.get $k) (local.get $end)))
                        (v128.store (local.get $k) (f64x2.add (v128.load (local.get $k))
                          (f64x2.mul (v128.load (local.get $row)) (local.get $pv))))
                        (local.set $row (i32.add (local.get $row) (i32.const 16)))
                        (local.set $k (i32.add (local.get $k) (i32.const 16)))
                        (br $kLoop)))
                    (if (i32.and (local.get $d) (i32.const 1))
                      (then (f64.store (local.get $k) (f64.add (f64.load (local.get $k))
                        (f64.mul (f64.load (local.get $row)) (local.get $pc))))))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $rows)))
                (local.set $i (i32.const 0))
                (local.set $xp (local.get $xb))
                (block $pointsDone
                  (loop $points
                    (br_if $pointsDone (i32.ge_u (local.get $i) (local.get $n)))
                    (f64.store (i32.add (local.get $sp) (i32.shl (local.get $i) (i32.const 3)))
                      (call $dot (local.get $u) (local.get $xp) (local.get $d)))
                    (local.set $xp (i32.add (local.get $xp) (local.get $d8)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $points)))))
            (local.set $sp (i32.add (local.get $sp) (i32.shl (local.get $n) (i32.const 3))))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $heads)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $instances))))

  ;; Weighted contexts of every head for `count` instances, from the weights a (laid out as the
  ;; scores of blockScores): z[zh + k·4] = 0, then z[zh + k·4] += a_i·x_i[k] for the points i in
  ;; order, skipping a_i = 0 (f64.ne is false for ±0 only, as JavaScript's a === 0 is true).
  ;; zh = z + ((t ≫ 2)·H·d·4 + h·d·4 + (t & 3))·8: the interleaved block of valueProduct.
  (func (export "blockContexts")
    (param $weights i32) (param $x i32) (param $z i32) (param $H i32) (param $count i32)
    (param $m i32) (param $phase i32) (param $n i32) (param $d i32)
    (local $t i32) (local $h i32) (local $i i32) (local $d8 i32) (local $nd8 i32) (local $hd32 i32)
    (local $xb i32) (local $xp i32) (local $sp i32) (local $zt i32) (local $zh i32) (local $zp i32)
    (local $zend i32) (local $a f64)
    (local.set $d8 (i32.shl (local.get $d) (i32.const 3)))
    (local.set $nd8 (i32.mul (local.get $n) (local.get $d8)))
    (local.set $hd32 (i32.shl (local.get $d) (i32.const 5)))
    (local.set $sp (local.get $weights))
    (block $instancesDone
      (loop $instances
        (br_if $instancesDone (i32.ge_u (local.get $t) (local.get $count)))
        (local.set $xb (i32.add (local.get $x)
          (i32.mul (i32.div_u (i32.add (local.get $phase) (local.get $t)) (local.get $m)) (local.get $nd8))))
        (local.set $zt (i32.add (local.get $z)
          (i32.add
            (i32.mul (i32.shr_u (local.get $t) (i32.const 2)) (i32.mul (local.get $H) (local.get $hd32)))
            (i32.shl (i32.and (local.get $t) (i32.const 3)) (i32.const 3)))))
        (local.set $h (i32.const 0))
        (block $headsDone
          (loop $heads
            (br_if $headsDone (i32.ge_u (local.get $h) (local.get $H)))
            (local.set $zh (i32.add (local.get $zt) (i32.mul (local.get $h) (local.get $hd32))))
            (local.set $zend (i32.add (local.get $zh) (local.get $hd32)))
            (local.set $zp (local.get $zh))
            (block $zeroDone
              (loop $zero
                (br_if $zeroDone (i32.ge_u (local.get $zp) (local.get $zend)))
                (f64.store (local.get $zp) (f64.const 0))
                (local.set $zp (i32.add (local.get $zp) (i32.const 32)))
                (br $zero)))
            (local.set $i (i32.const 0))
            (local.set $xp (local.get $xb))
            (block $pointsDone
              (loop $points
                (br_if $pointsDone (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $a (f64.load (i32.add (local.get $sp) (i32.shl (local.get $i) (i32.const 3)))))
                (if (f64.ne (local.get $a) (f64.const 0))
                  (then
                    (local.set $zp (local.get $zh))
                    (block $kDone
                      (loop $kLoop
                        (br_if $kDone (i32.ge_u (local.get $zp) (local.get $zend)))
                        (f64.store (local.get $zp) (f64.add (f64.load (local.get $zp))
                          (f64.mul (local.get $a) (f64.load (local.get $xp)))))
                        (local.set $zp (i32.add (local.get $zp) (i32.const 32)))
                        (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
                        (br $kLoop)))
                    (local.set $xp (i32.sub (local.get $xp) (local.get $d8)))))
                (local.set $xp (i32.add (local.get $xp) (local.get $d8)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $points)))
            (local.set $sp (i32.add (local.get $sp) (i32.shl (local.get $n) (i32.const 3))))
            (local.set $h (i32.add (local.get $h) (i32.const 1)))
            (br $heads)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $instances)))))
