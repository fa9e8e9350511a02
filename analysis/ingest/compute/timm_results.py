"""timm ImageNet-1k results: re-evaluated top-1/top-5 with forward-pass GMACs per model.

Source folder ``timm-results`` (see its PROVENANCE.md). Accuracies are timm's own evaluations
(``library re-evaluation``); weights whose pretrained tag names a library training recipe
(``RETRAINING_TAG``, a heuristic) are ``library re-training``. Forward cost: ``infer_gmacs`` of the
RTX-4090 benchmark at the evaluation resolution (multiply-accumulates, converted to FLOPs ×2).
Papers: the README "Models" list, joined through the hand-made architecture → README-entry map.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.ingest._common import (
    MACS_TO_FLOPS,
    attach_exclusions,
    normalise_arxiv_id,
    records_frame,
    require_columns,
)

SOURCE = "timm-results"
LICENCE = "Apache-2.0"
RESULTS_FILE = "results-imagenet.csv"
GMACS_FILE = "benchmark-infer-amp-nchw-pt291-cu128-4090.csv"
README_FILE = "README.md"

RETRAINING_TAG = re.compile(
    r"^(ra\d?|ra4_\w+|racm|ram|a1h?|a2h?|a3|b[12]k|c[123]|c2ns|ch|ah|bt|d|d1h?|d2|sw(_\w+)?"
    r"|sbb\d?(_\w+)?|e\d+_r\d+|pycls|tv2?|gluon|lamb|agc|rmsp)_in1k$"
)
"""Pretrained tags naming a library training recipe (timm "ResNet strikes back" a1/a2/a3,
RandAugment ra*, timm variants b/c/d/ch/ah/bt/sw/sbb/eNNN_rNNN, torchvision tv/tv2, Gluon, pycls):
weights trained by a library, not released by the paper's authors. A heuristic on timm's tags."""

ARCHITECTURE_PAPERS: list[tuple[str, str]] = [
    (r"^test_", ""),
    (r"^(tf_)?efficientnetv2|^gc_efficientnetv2", "EfficientNet V2"),
    (r"^tf_efficientnet_.*\.ns_", "EfficientNet NoisyStudent (B0-B7, L2)"),
    (r"^tf_efficientnet_.*\.ap_", "EfficientNet AdvProp (B0-B8)"),
    (r"^(tf_)?efficientnet_(e[sml]|cc)", "EfficientNet-EdgeTPU (S, M, L)"),
    (r"^(tf_)?efficientnet_(b\d|lite|l2|h_b|x_b)", "EfficientNet (B0-B7)"),
    (r"^tinynet", "TinyNet"),
    (r"^(tf_)?mixnet", "MixNet"),
    (r"^(mnasnet|semnasnet)", "MNASNet B1, A1 (Squeeze-Excite), and Small"),
    (r"^spnasnet", "Single-Path NAS"),
    (r"^fbnetc", "FBNet-C"),
    (r"^fbnetv3", "FBNet-V3"),
    (r"^hardcorenas", "HardCoRe-NAS"),
    (r"^lcnet", "LCNet"),
    (r"^mobilenetv4", "MobileNetV4"),
    (r"^(tf_)?mobilenetv3", "MobileNet-V3 (MBConvNet w/ Efficient Head)"),
    (r"^mobilenetv2", "MobileNet-V2"),
    (r"^mobilenet_edgetpu", ""),
    (r"^efficientvit_m", "EfficientViT (MSRA)"),
    (r"^efficientvit_[bl]", "EfficientViT (MIT)"),
    (r"^efficientformerv2", "EfficientFormer-V2"),
    (r"^efficientformer", "EfficientFormer"),
    (r"^beitv2", "BEiT-V2"),
    (r"^beit3", "BEiT3"),
    (r"^beit", "BEiT"),
    (r"^(bat_resnext|eca_botnext|botnet|sebotnet)", "Bottleneck Transformers"),
    (r"^cait", "CaiT (Class-Attention in Image Transformers)"),
    (r"^coat_", "CoaT (Co-Scale Conv-Attentional Image Transformers)"),
    (r"^(coatnet|coatnext)", "CoAtNet (Convolution and Attention)"),
    (r"^convnextv2", "ConvNeXt-V2"),
    (r"^convnext", "ConvNeXt"),
    (r"^convit", "ConViT (Soft Convolutional Inductive Biases Vision Transformers)"),
    (r"^(cspdarknet|cspresnet|cspresnext|cs3|darknet)", "CspNet (Cross-Stage Partial Networks)"),
    (r"^deit3", "DeiT-III"),
    (r"^deit", "DeiT"),
    (r"^densenet", "DenseNet"),
    (r"^dla", "DLA"),
    (r"^dpn", "DPN (Dual-Path Network)"),
    (r"^edgenext", "EdgeNeXt"),
    (r"^eva02", "EVA-02"),
    (r"^eva", "EVA"),
    (r"^fasternet", "FasterNet"),
    (r"^fastvit", "FastViT"),
    (r"^flexivit", "FlexiViT"),
    (r"^focalnet", "FocalNet (Focal Modulation Networks)"),
    (r"^gcvit", "GCViT (Global Context Vision Transformer)"),
    (r"^ghostnetv3", "GhostNet-V3"),
    (r"^ghostnetv2", "GhostNet-V2"),
    (r"^ghostnet", "GhostNet"),
    (r"^gmlp", "gMLP"),
    (r"^gernet", "GPU-Efficient Networks"),
    (r"^(halo|sehalonet|lamhalobotnet|haloregnetz|eca_halonext)", "Halo Nets"),
    (r"^hrnet", "HRNet"),
    (r"^inception_next", "InceptionNeXt"),
    (r"^(inception_v3|tf_inception_v3|adv_inception_v3|gluon_inception_v3)", "Inception-V3"),
    (
        r"^(inception_resnet_v2|inception_v4|ens_adv_inception)",
        "Inception-ResNet-V2 and Inception-V4",
    ),
    (r"^lambda_resnet", "Lambda Networks"),
    (r"^levit", "LeViT (Vision Transformer in ConvNet's Clothing)"),
    (r"^mambaout", "MambaOut"),
    (r"^(maxvit|maxxvit)", "MaxViT (Multi-Axis Vision Transformer)"),
    (r"^(caformer|convformer|poolformerv2)", "MetaFormer (PoolFormer-v2, ConvFormer, CAFormer)"),
    (r"^poolformer", "PoolFormer (MetaFormer)"),
    (r"^(mixer|gmixer)", "MLP-Mixer"),
    (r"^mobileone", "MobileOne"),
    (r"^mobilevitv2", "MobileViT-V2"),
    (r"^mobilevit", "MobileViT"),
    (r"^mvitv2", "MViT-V2 (Improved Multiscale Vision Transformer)"),
    (r"^nasnet", "NASNet-A"),
    (r"^nest", "NesT"),
    (r"^nextvit", "Next-ViT"),
    (r"^(dm_nfnet|nfnet|eca_nfnet)", "NFNet-F"),
    (r"^(nf_regnet|nf_resnet)", "NF-RegNet / NF-ResNet"),
    (r"^pnasnet", "PNasNet"),
    (r"^pit_", "Pooling-based Vision Transformer (PiT)"),
    (r"^pvt_v2", "PVT-V2 (Improved Pyramid Vision Transformer)"),
    (r"^rdnet", "RDNet (DenseNets Reloaded)"),
    (r"^regnetz", "RegNetZ"),
    (r"^regnet[xyv]", "RegNet"),
    (r"^repvgg", "RepVGG"),
    (r"^repghostnet", "RepGhostNet"),
    (r"^repvit", "RepViT"),
    (r"^resmlp", "ResMLP"),
    (r"^resnetrs", "ResNet-RS"),
    (r"^res2ne", "Res2Net"),
    (r"^resnest", "ResNeSt"),
    (r"^rexnet", "ReXNet"),
    (r"^selecsls", "SelecSLS"),
    (r"^(skresnet|skresnext)", "Selective Kernel Networks"),
    (r"^sequencer", "Sequencer2D"),
    (r"^shvit", "SHViT"),
    (r"^starnet", "StarNet"),
    (r"^swiftformer", "SwiftFormer"),
    (r"^swinv2", "Swin Transformer V2"),
    (r"^swin", "Swin Transformer"),
    (r"^tiny_vit", "TinyViT"),
    (r"^tnt_", "Transformer-iN-Transformer (TNT)"),
    (r"^tresnet", "TResNet"),
    (r"^twins", "Twins (Spatial Attention in Vision Transformers)"),
    (r"^vgg", "VGG"),
    (r"^visformer", "Visformer"),
    (r"^volo", "VOLO (Vision Outlooker)"),
    (r"^ese_vovnet", "VovNet V2 and V1"),
    (r"^(legacy_xception|xception\d*\.)", "Xception"),
    (r"^xception", "Xception (Modified Aligned, TF)"),
    (r"^xcit", "XCiT (Cross-Covariance Image Transformers)"),
    (r"^hiera", ""),
    (r"^(crossvit|convmixer|hgnet|naflexvit|davit)", ""),
    (r"^vit_.*\.(augreg|orig|goog)", "Vision Transformer"),
    (r"^vit_", "Vision Transformer"),
    (r"^(ecaresnet|eca_resnet|ecaresnetlight|eca_resnext)", "ECA-Net (ECAResNet)"),
    (
        r"^(legacy_senet|legacy_seresnet|legacy_seresnext|senet)",
        "Squeeze-and-Excitation Networks (SEResNet)",
    ),
    (r"^(seresnet|seresnext)", "Squeeze-and-Excitation Networks (SEResNet)"),
    (
        r"^resnext.*\.fb_wsl",
        "Weakly-supervised (WSL) Instagram pretrained / ImageNet tuned ResNeXt101",
    ),
    (
        r"^res.*\.fb_(swsl|ssl)",
        "Semi-supervised (SSL) / Semi-weakly Supervised (SWSL) ResNet/ResNeXts",
    ),
    (r"^(resnext|wide_resnet|gcresnext)", "ResNeXt"),
    (r"^res.*\.gluon", "'Bag of Tricks' / Gluon C, D, E, S variations"),
    (r"^(resnet|resnetv2_\d+d?\.|resnetaa|resnetblur|gcresnet|wide_resnet)", "ResNet (v1b/v1.5)"),
    (r"^resnetv2.*(bit|goog)", "Big Transfer ResNetV2 (BiT)"),
    (r"^resnetv2", "ResNet (v1b/v1.5)"),
]
"""Ordered (regex on 'arch.tag', README 'Models' entry); first match wins; '' = no paper listed."""


def read(sources_dir: Path) -> pd.DataFrame:
    """timm ImageNet results as tidy records (top-1 and top-5 per pretrained model)."""
    folder = sources_dir / SOURCE
    results = pd.read_csv(folder / RESULTS_FILE, thousands=",")
    require_columns(
        results, ("model", "img_size", "top1", "top5", "param_count"), folder / RESULTS_FILE
    )
    gmacs = pd.read_csv(folder / GMACS_FILE)
    require_columns(gmacs, ("model", "infer_img_size", "infer_gmacs"), folder / GMACS_FILE)
    papers = readme_papers(folder / README_FILE)
    excluded: Counter = Counter()
    results["architecture"] = results["model"].str.split(".").str[0]
    merged = results.merge(
        gmacs[["model", "infer_img_size", "infer_gmacs"]].rename(
            columns={"model": "architecture", "infer_img_size": "img_size"}
        ),
        on=["architecture", "img_size"],
        how="left",
        validate="many_to_one",
    )
    rows = []
    for index, row in merged.iterrows():
        if row["architecture"].startswith("test_"):
            excluded["test architecture (not a published model)"] += 1
            continue
        label = paper_label(row["model"])
        url = papers.get(label, np.nan) if label else np.nan
        for metric, column in (("top1_accuracy", "top1"), ("top5_accuracy", "top5")):
            rows.append(_record(row, index, metric, row[column], label, url))
    return attach_exclusions(records_frame(rows, SOURCE, LICENCE), excluded)


def _record(row: pd.Series, index: int, metric: str, value: float, label: str, url: object) -> dict:
    gmacs = row["infer_gmacs"]
    return {
        "source_file": f"{SOURCE}/{RESULTS_FILE}",
        "source_record": f"row {index + 2}: {row['model']}",
        "paper_title": label or np.nan,
        "paper_url": url,
        "arxiv_id": normalise_arxiv_id(url),
        "model": row["model"],
        "task": "image_classification",
        "benchmark": "imagenet",
        "metric": metric,
        "value": value,
        "score_origin": score_origin(row["model"]),
        "flops_per_pass": gmacs * 1e9 * MACS_TO_FLOPS,
        "flops_convention": "multiply-adds" if pd.notna(gmacs) else np.nan,
        "flops_per_pass_raw": gmacs * 1e9,
        "parameters": row["param_count"] * 1e6,
        "source_location": (
            f"{GMACS_FILE} infer_gmacs at {row['img_size']} px; {training_data_note(row['model'])}"
        ),
    }


EXTRA_DATA_TAGS: tuple[tuple[str, str], ...] = (
    (r"in21k|in22k", "ImageNet-21k/22k"),
    (r"in12k", "ImageNet-12k"),
    (r"laion|openai|clip|webli|dfn|metaclip|datacomp", "web image-text pairs"),
    (r"jft", "JFT"),
    (r"ig1b|_ig_|fb_wsl", "Instagram"),
    (r"yfcc|yfc", "YFCC100M"),
    (r"m38m|m30m", "merged 30-38M-image set"),
)
"""Pretrained-tag fragments → extra training data. ``model_metadata-in1k.csv`` (2022, old names
without tags) cannot be joined unambiguously to tagged weights, so the tag is used instead."""


def training_data_note(model: str) -> str:
    """'extra data per tag: …' or 'ImageNet-1k only per tag' for a timm model name."""
    tag = model.split(".", 1)[1] if "." in model else ""
    extra = [label for pattern, label in EXTRA_DATA_TAGS if re.search(pattern, tag)]
    return f"extra data per tag: {', '.join(extra)}" if extra else "ImageNet-1k only per tag"


def score_origin(model: str) -> str:
    """'library re-training' when the pretrained tag names a library recipe, else re-evaluation."""
    tag = model.split(".", 1)[1] if "." in model else ""
    return "library re-training" if RETRAINING_TAG.match(tag) else "library re-evaluation"


def paper_label(model: str) -> str:
    """README 'Models' entry for a timm model name ('' when the README lists no paper)."""
    for pattern, label in ARCHITECTURE_PAPERS:
        if re.search(pattern, model):
            return label
    return ""


def readme_papers(readme: Path) -> dict[str, str]:
    """README 'Models' section as {entry label: paper URL}."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("### Models", 1)[1].split("### Optimizers", 1)[0]
    papers = {}
    for match in re.finditer(r"^\s*\*\s+(.+?)\s*-\s*(https?://\S+)\s*$", section, re.MULTILINE):
        papers[match.group(1).strip()] = match.group(2)
    return papers
