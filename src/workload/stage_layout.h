// How a model's layers and parameters are laid out over pipeline stages and ranks.
#pragma once

#include "workload/model_spec.h"
#include "workload/parallel.h"

namespace suanli {

// Parameters one rank of one pipeline stage holds, by how they are sharded.
struct StageParams {
  double dense = 0;          // sharded over tp only: attention, dense MLPs, shared experts,
                             // routers, norms, embedding and output head (data-parallel over dp*cp)
  double expert = 0;         // routed experts, sharded over ep and the expert tp
                             // (data-parallel over the expert data-parallel ranks)
  double largest_layer = 0;  // parameters of the largest transformer layer on this rank
  double embedding = 0;      // embedding + output head + norms + routers (kept at high
                             // precision when serving quantises the layer matrices)
};

// The split of a model's transformer layers over `pp` pipeline stages and of
// each stage's parameters over the tensor-, expert- and expert-tensor-parallel
// ranks. Memory and step time both read the layout from here.
//
// Split rule: the first `layers % pp` stages hold one layer more than the
// others (10 layers on 4 stages: 3, 3, 2, 2). Megatron-Core has no implicit
// rule for uneven splits: it requires layers % pp == 0 unless the first/last
// stage counts (--decoder-first/last-pipeline-num-layers) or a full layout
// (--pipeline-model-parallel-layout) are given; this is the balanced layout
// those flags express (the same as DeepSpeed's uniform partition). It never
// leaves a stage empty and its largest stage is ceil(layers / pp).
// Stage 0 holds the input embedding, stage pp-1 the final norm and output head.
class StageLayout {
 public:
  // `expert_tp` is the tensor-parallel split of a routed expert (tp, or 1
  // when expert parallelism folds over the tensor-parallel ranks).
  StageLayout(const ModelSpec& model, int tp, int pp, int ep, int expert_tp);
  // The layout of a training configuration.
  StageLayout(const ModelSpec& model, const ParallelConfig& config);
  // The layout keeps a reference to the model: a temporary would dangle.
  StageLayout(ModelSpec&&, int, int, int, int) = delete;
  StageLayout(ModelSpec&&, const ParallelConfig&) = delete;

  // Returns the number of pipeline stages.
  int Stages() const { return pp_; }
  // Returns the 0-based index of the first layer of `stage`.
  int FirstLayer(int stage) const;
  // Returns the number of transformer layers of `stage`.
  int Layers(int stage) const;
  // Returns the largest number of layers on one stage (stage 0's).
  int MaxLayers() const;
  // Returns the number of MoE layers of `stage`.
  int MoeLayers(int stage) const;
  // Returns the stage with the most MoE layers, then the most layers (the
  // slowest for the step model); ties go to the lower stage.
  int SlowestStage() const;
  // Returns the layers of the largest of `vp` virtual chunks of `stage`
  // (interleaved 1F1B splits a stage's layers as evenly as possible).
  int LargestChunkLayers(int stage, int vp) const;
  // Returns true when stage `stage` holds the input embedding.
  bool HoldsEmbedding(int stage) const { return stage == 0; }
  // Returns true when stage `stage` holds the final norm and output head.
  bool HoldsOutputHead(int stage) const { return stage == pp_ - 1; }
  // Returns true when stages `a` and `b` hold as many layers with the same dense/MoE pattern.
  bool SameLayerKinds(int a, int b) const;
  // Returns the parameters one rank of `stage` holds (count of parameters).
  StageParams ParamsPerRank(int stage) const;

 private:
  const ModelSpec* model_;
  int tp_;
  int pp_;
  int ep_;
  int expert_tp_;
};

}  // namespace suanli
