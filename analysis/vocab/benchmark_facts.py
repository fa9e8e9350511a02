"""Fixed facts about the primary benchmarks that the task chapters name in prose.

Each fact is a number stated by the benchmark's own paper or official site (the ``source``); the
chapters glue them (``task-<slug>-fact-<name>``) instead of typing them, so the prose check
never meets a typed number and every figure has one place to be corrected.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One number about a benchmark: what it counts and where it is stated."""

    task: str
    name: str
    value: float
    what: str
    source: str


FACTS: tuple[Fact, ...] = (
    Fact("image_classification", "imagenet-classes", 1000, "classes of ImageNet-1k (ILSVRC 2012)",
         "image-net.org/challenges/LSVRC/2012"),
    Fact("image_classification", "imagenet-train", 1_281_167, "training images of ImageNet-1k",
         "image-net.org/challenges/LSVRC/2012"),
    Fact("image_classification", "imagenet-val", 50_000, "validation images of ImageNet-1k",
         "image-net.org/challenges/LSVRC/2012"),
    Fact("image_classification", "cifar-classes", 10, "classes of CIFAR-10",
         "Krizhevsky (2009), cs.toronto.edu/~kriz/cifar.html"),
    Fact("image_classification", "cifar-test", 10_000, "test images of CIFAR-10 and CIFAR-100",
         "cs.toronto.edu/~kriz/cifar.html"),
    Fact("object_detection", "coco-categories", 80, "object categories of COCO detection",
         "cocodataset.org/#detection-2017"),
    Fact("object_detection", "coco-val", 5000, "images of COCO val2017 (minival)",
         "cocodataset.org/#download"),
    Fact("object_detection", "coco-test-dev", 20_000, "images of COCO test-dev (about)",
         "cocodataset.org/#detection-eval"),
    Fact("question_answering", "squad-questions", 100_000, "questions in SQuAD 1.1 (over)",
         "rajpurkar.github.io/SQuAD-explorer"),
    Fact("question_answering", "squad-articles", 536, "Wikipedia articles of SQuAD 1.1",
         "rajpurkar.github.io/SQuAD-explorer"),
    Fact("named_entity_recognition", "conll-types", 4, "entity types of CoNLL-2003",
         "clips.uantwerpen.be/conll2003/ner"),
    Fact("machine_translation", "newstest-sentences", 3003, "sentences of newstest2014 (En-Fr)",
         "statmt.org/wmt14/translation-task.html"),
    Fact("speech_recognition", "librispeech-hours", 1000, "hours of read English in LibriSpeech "
         "(about)", "openslr.org/12"),
    Fact("face_detection", "wider-images", 32_203, "images of WIDER Face",
         "shuoyang1213.me/WIDERFACE"),
    Fact("face_detection", "wider-faces", 393_703, "labelled faces of WIDER Face",
         "shuoyang1213.me/WIDERFACE"),
    Fact("pose_estimation", "coco-keypoints", 17, "keypoints per person in COCO keypoints",
         "cocodataset.org/#keypoints-2017"),
    Fact("pose_estimation", "mpii-images", 25_000, "images of MPII Human Pose (about)",
         "human-pose.mpi-inf.mpg.de"),
    Fact("image_generation", "ffhq-images", 70_000, "images of FFHQ",
         "github.com/NVlabs/ffhq-dataset"),
    Fact("image_generation", "cifar-train", 50_000, "training images of CIFAR-10",
         "cs.toronto.edu/~kriz/cifar.html"),
)  # fmt: skip


def task_facts(task: str) -> list[Fact]:
    """The facts of one task's benchmarks."""
    return [f for f in FACTS if f.task == task]
