/* score: the quiz score, one rule for every view and command — the UI's
 * lesson panel and end of lesson, the plain mode, the progress file, `run`,
 * `verify`, `grade` and the exports (tutor.1: "of the points of what was
 * tried"; docs/transcript-format.md, score and total). A quiz earns the
 * points its answer is worth; a goal reached by the learner's own actions
 * earns SCORE_GOAL_POINTS; a goal whose solution plays (given up in the UI,
 * or played by the script in `tutor run`) earns none. The total is the
 * points of what was tried — a lesson's points not reached yet are not
 * counted against the learner — which at the end of a lesson is all it
 * offers. Only these two functions add to a score. */
#ifndef TUTOR_SCORE_H
#define TUTOR_SCORE_H

#include <stdbool.h>

#define SCORE_GOAL_POINTS 1

struct score {
    int earned; /* points earned */
    int of;     /* points of the quizzes and goals tried */
};

/* A quiz tried: worth points offered, earned of them won. */
static inline void score_quiz(struct score *s, int worth, int earned)
{
    s->of += worth;
    s->earned += earned;
}

/* A goal tried: reached by the learner's own actions, or its solution played. */
static inline void score_goal(struct score *s, bool by_learner)
{
    s->of += SCORE_GOAL_POINTS;
    if (by_learner)
        s->earned += SCORE_GOAL_POINTS;
}

#endif
