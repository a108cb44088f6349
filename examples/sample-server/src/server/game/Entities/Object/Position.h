#ifndef TRINITY_POSITION_H
#define TRINITY_POSITION_H

#include <cmath>

struct Position
{
    float m_positionX = 0.0f;
    float m_positionY = 0.0f;

    float GetPositionX() const { return m_positionX; }
    float GetPositionY() const { return m_positionY; }
    float GetExactDist(Position const& pos) const
    {
        return std::hypot(m_positionX - pos.m_positionX, m_positionY - pos.m_positionY);
    }
    // One movement step of at most `step` yards toward `dest`; true once there.
    bool MoveTowards(Position const& dest, float step)
    {
        float dist = GetExactDist(dest);
        if (dist <= step)
        {
            *this = dest;
            return true;
        }
        m_positionX += (dest.m_positionX - m_positionX) * step / dist;
        m_positionY += (dest.m_positionY - m_positionY) * step / dist;
        return false;
    }
};

#endif
